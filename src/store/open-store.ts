import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store, StoreCapabilities } from './store.js';

export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/**
 * Opens the store a `--db` value names: a `postgres://` URL, or a SQLite file path (its folder is
 * created). PostgreSQL's driver is loaded only for a PostgreSQL URL, so SQLite users never load `pg`.
 */
export async function openStore(
  db: string,
  options: { schema?: string; onError?: (error: unknown) => void } = {},
): Promise<Store> {
  if (isPostgresUrl(db)) {
    const { PostgresStore } = await import('./postgres/index.js');
    return new PostgresStore({
      connectionString: db,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }
  if (db !== ':memory:') mkdirSync(dirname(db), { recursive: true });
  return new SqliteStore(db);
}

/** The capabilities of the store a `--db` value names, without opening it (no file is created). */
export async function capabilitiesOf(db: string): Promise<StoreCapabilities> {
  if (!isPostgresUrl(db)) return SqliteStore.capabilities;
  const { PostgresStore } = await import('./postgres/index.js');
  return PostgresStore.capabilities;
}
