import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, type PostgresTuning } from '../../src/store/postgres/index.js';
import { succeeded } from '../store/conformance/harness.js';

/** The database the PostgreSQL suites run against; they are skipped when it is not set. */
export const DATABASE_URL = process.env.DATABASE_URL;

/** For `describe(name, { skip: POSTGRES_SKIP }, ...)`: one plain line when there is no database. */
export const POSTGRES_SKIP: string | false = DATABASE_URL
  ? false
  : 'DATABASE_URL is not set: PostgreSQL suites skipped';

function databaseUrl(): string {
  if (!DATABASE_URL) throw new Error('DATABASE_URL is not set: gate the suite on POSTGRES_SKIP.');
  return DATABASE_URL;
}

/** A schema name no other test uses: each test gets its own tables, dropped in cleanup. */
export const freshSchema = () => `lr_test_${randomBytes(6).toString('hex')}`;

/** Runs one statement on a connection of its own (outside any store), and returns its rows. */
export async function adminQuery<T extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export const dropSchema = (schema: string) =>
  adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => undefined);

/** A store on `schema` (it is not migrated: see openPostgresStore). */
export const postgresStore = (schema: string, tuning: PostgresTuning = {}) =>
  new PostgresStore({ connectionString: databaseUrl(), ...tuning, schema });

/** A migrated store on a fresh schema; `cleanup` closes it and drops the schema. */
export async function openPostgresStore(tuning: PostgresTuning = {}) {
  const schema = tuning.schema ?? freshSchema();
  const store = postgresStore(schema, tuning);
  const cleanup = async () => {
    await store.close();
    await dropSchema(schema);
  };
  try {
    await store.migrate();
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { store, schema, cleanup };
}

/** Two stores on one fresh schema, each with its own pool and LISTEN connection, like two processes. */
export async function twoStores(tuning: { reconnectMinMs?: number } = {}) {
  const a = await openPostgresStore(tuning);
  const b = postgresStore(a.schema, tuning);
  await b.migrate();
  return {
    schema: a.schema,
    a: a.store,
    b,
    cleanup: async () => {
      await b.close();
      await a.cleanup();
    },
  };
}

/** Claims until the queue is empty, finishing what it claims; returns the ids it claimed. */
export async function drain(store: PostgresStore, workerId: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const claimed = await store.claim({
      workerId,
      kinds: ['report.build'],
      limit: 16,
      leaseMs: 30_000,
    });
    if (claimed.length === 0) return ids;
    ids.push(...claimed.map(({ lease }) => lease.id));
    await Promise.all(claimed.map(({ lease }) => store.finish(lease, succeeded())));
  }
}
