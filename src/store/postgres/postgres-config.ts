import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/** Where the store connects: a URL (the store owns its pool), or a pool the caller owns and closes. */
export type PostgresConnection = { connectionString: string } | { pool: Pool };

export interface PostgresTuning {
  /** The schema holding longrun's tables; created by `migrate()`. Default `longrun`. */
  schema?: string;
  /** Pool size when the store creates the pool. Default 10. */
  maxConnections?: number;
  /** Most rows one batched statement carries. Default 500. */
  maxBatch?: number;
  /** Back-off of the LISTEN connection's reconnects: first delay and cap, in ms. Default 100 and 5000. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Errors no caller waits for (the LISTEN connection dropping, an idle pooled connection failing). */
  onError?: (error: unknown) => void;
}

export type PostgresOptions = PostgresConnection & PostgresTuning;

export type PostgresConfig = PostgresConnection &
  Required<Omit<PostgresTuning, 'onError'>> &
  Pick<PostgresTuning, 'onError'>;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function postgresOptions(options: PostgresOptions | string): PostgresConfig {
  const given = typeof options === 'string' ? { connectionString: options } : options;
  if (!('pool' in given) && !given.connectionString) {
    throw new TypeError(
      'PostgresStore needs a connectionString (e.g. postgres://user@host:5432/db) or a pg.Pool.',
    );
  }
  const config = {
    schema: 'longrun',
    maxConnections: 10,
    maxBatch: 500,
    reconnectMinMs: 100,
    reconnectMaxMs: 5000,
    ...given,
  };
  if (!SCHEMA_NAME.test(config.schema)) {
    throw new TypeError(
      `PostgresStore schema ${JSON.stringify(config.schema)} is not a plain identifier: use letters, digits and _ (at most 63, not starting with a digit).`,
    );
  }
  for (const key of ['maxConnections', 'maxBatch', 'reconnectMinMs', 'reconnectMaxMs'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new TypeError(`PostgresStore ${key} must be a positive integer, got ${config[key]}.`);
    }
  }
  return config;
}

/** Names the store's SQL is written with: quoted, schema-qualified, fixed for the store's life. */
export interface SqlNames {
  schema: string;
  operations: string;
  keys: string;
  migrations: string;
  /**
   * The NOTIFY channels, unquoted (LISTEN quotes them; pg_notify takes them as values). `watch`
   * carries every change signal (streams, long-polls, webhooks listen there); `work` repeats only
   * what workers act on (`created`, `cancel-requested`), so a worker is never woken by progress.
   */
  channels: Record<SignalChannel, string>;
  /** Marks this store's own notifications, which it has already delivered locally. */
  origin: string;
}

export type SignalChannel = 'watch' | 'work';

/** The signal kinds the `work` channel repeats. */
export const WORK_SIGNALS: readonly string[] = ['created', 'cancel-requested'];

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function sqlNames(schema: string): SqlNames {
  const quoted = quoteIdent(schema);
  return {
    schema: quoted,
    operations: `${quoted}.operations`,
    keys: `${quoted}.idempotency_keys`,
    migrations: `${quoted}.migrations`,
    channels: {
      watch: `longrun_${schema}`.slice(0, 63),
      work: `longrun_work_${schema}`.slice(0, 63),
    },
    origin: randomBytes(6).toString('base64url'),
  };
}

/** The advisory lock key of a schema's migrations: 64 bits of a hash, as a decimal string. */
export function migrationLockKey(schema: string): string {
  return createHash('sha256')
    .update(`longrun.migrate:${schema}`)
    .digest()
    .readBigInt64BE()
    .toString();
}
