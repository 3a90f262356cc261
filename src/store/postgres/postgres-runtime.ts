import type { Pool } from 'pg';
import type { ChangeSignal, CreateResult, NewOperation } from '../store.js';
import type { Batcher } from './postgres-batcher.js';
import type { PostgresConfig, SignalChannel, SqlNames } from './postgres-config.js';
import { asyncCommitPool, connect, loadPg } from './postgres-connection.js';
import { createBatcher } from './postgres-creates.js';
import {
  type LeaseWrite,
  type LeaseWriteResult,
  leaseWriteBatcher,
} from './postgres-lease-writes.js';
import { PostgresNotifier } from './postgres-notifier.js';
import { SignalSender } from './postgres-signal-sender.js';
import { type PostgresStatements, postgresStatements } from './postgres-statements.js';

/** What a PostgresStore opens on first use: `pg` is imported then, so SQLite users never load it. */
export interface PostgresRuntime {
  pool: Pool;
  /** Where claims run (see asyncCommitPool). */
  claims: Pool;
  /** Sends this store's change signals to the other processes, once their writes committed. */
  signals: SignalSender;
  sql: PostgresStatements;
  creates: Batcher<NewOperation, CreateResult>;
  leaseWrites: Batcher<LeaseWrite, LeaseWriteResult>;
  /** Starts listening for other processes' signals on a channel (see PostgresNotifier). */
  listen(channel: SignalChannel): void;
  /** Resolves once every channel asked for so far is listened on. */
  listening(): Promise<void>;
  /** Sends the last signals, stops listening, ends the claim pool, and the pool if the store made it (a pool passed in is the caller's). */
  close(): Promise<void>;
}

/** Opens the pool, the statements, the batchers and the LISTEN connection (resolves once connected). */
export async function openRuntime(
  config: PostgresConfig,
  names: SqlNames,
  onSignal: (signal: ChangeSignal) => void,
): Promise<PostgresRuntime> {
  const pg = await loadPg();
  const connection = connect(pg, config);
  const { pool, ownsPool, clientConfig } = connection;
  const sql = postgresStatements(names);
  const notifier = new PostgresNotifier({
    pg,
    clientConfig,
    channels: names.channels,
    origin: names.origin,
    reconnectMinMs: config.reconnectMinMs,
    reconnectMaxMs: config.reconnectMaxMs,
    onSignal,
    onError: config.onError,
  });
  await notifier.start();
  const claims = asyncCommitPool(pg, connection, config.onError);
  const signals = new SignalSender(claims, names, config.onError);
  return {
    pool,
    claims,
    signals,
    sql,
    creates: createBatcher(pool, sql, config.maxBatch),
    leaseWrites: leaseWriteBatcher(pool, sql.leaseWrites, config.maxBatch),
    listen: (channel) => notifier.listen(channel),
    listening: () => notifier.listening(),
    close: async () => {
      await signals.flush();
      await notifier.close();
      await claims.end();
      if (ownsPool) await pool.end();
    },
  };
}

/** A schema that was never migrated fails with what to run, not only "relation does not exist". */
export function explainMissingSchema(error: unknown, schema: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== '42P01' && code !== '3F000') return error;
  return new Error(
    `PostgreSQL schema "${schema}" has no longrun tables (${(error as Error).message}). Run "longrun migrate --db <url>", or start without --no-migrate.`,
    { cause: error },
  );
}
