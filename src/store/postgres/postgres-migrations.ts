import type { Pool, PoolClient } from 'pg';
import * as m0001 from './migrations/0001-operations.js';
import * as m0002 from './migrations/0002-operation-events.js';
import * as m0003 from './migrations/0003-durations.js';
import * as m0004 from './migrations/0004-webhooks.js';
import * as m0005 from './migrations/0005-claim-function.js';
import * as m0006 from './migrations/0006-one-statement-event-trigger.js';
import * as m0007 from './migrations/0007-claim-logs-its-own-event.js';
import { migrationLockKey, quoteIdent } from './postgres-config.js';

/** Numbered migrations, embedded in the package as modules so `dist` needs no asset copying. */
export const POSTGRES_MIGRATIONS: readonly {
  version: number;
  name: string;
  sql: (schema: string) => string;
}[] = [
  { version: 1, name: 'operations', sql: m0001.sql },
  { version: 2, name: 'operation-events', sql: m0002.sql },
  { version: 3, name: 'durations', sql: m0003.sql },
  { version: 4, name: 'webhooks', sql: m0004.sql },
  { version: 5, name: 'claim-function', sql: m0005.sql },
  { version: 6, name: 'one-statement-event-trigger', sql: m0006.sql },
  { version: 7, name: 'claim-logs-its-own-event', sql: m0007.sql },
];

/**
 * Creates the schema and applies the migrations it has not seen, in one transaction that first takes a
 * transaction-scoped advisory lock keyed on the schema: when several processes start at once, one
 * migrates and the others wait on the lock, then find every version recorded and apply nothing.
 */
export async function migratePostgres(pool: Pool, schema: string): Promise<void> {
  const quoted = quoteIdent(schema);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await appliedVersions(client, quoted);
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(quoted));
      await client.query(`INSERT INTO ${quoted}.migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is dropped, not returned to the pool.
    client.release(broken);
  }
}

async function appliedVersions(client: PoolClient, quoted: string): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>(
    `SELECT version FROM ${quoted}.migrations`,
  );
  return new Set(rows.map((row) => row.version));
}

/**
 * The highest migration applied to `schema`, 0 when it has none (or does not exist): what
 * `longrun doctor` compares with the package's latest, `POSTGRES_MIGRATIONS.at(-1).version`.
 */
export async function postgresSchemaVersion(
  db: Pick<Pool, 'query'>,
  schema = 'longrun',
): Promise<number> {
  const table = `${quoteIdent(schema)}.migrations`;
  const { rows } = await db.query<{ exists: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS exists',
    [table],
  );
  if (!rows[0]?.exists) return 0;
  const version = await db.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${table}`,
  );
  return version.rows[0]?.version ?? 0;
}

export const latestPostgresVersion = () => POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
