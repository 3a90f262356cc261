import { createHash } from 'node:crypto';
import type { ClientConfig, Pool, QueryResultRow } from 'pg';
import type { PostgresConfig } from './postgres-config.js';

/** The `pg` module, loaded on first use: SQLite users never load it. */
export type PgModule = typeof import('pg');

export const loadPg = (): Promise<PgModule> => import('pg');

/** One SQL text; run as a named prepared statement, so each pooled connection parses and plans it once. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** Names a statement by its text: two stores (two schemas) on one pool never clash on a name. */
export function statement(label: string, text: string): Statement {
  const digest = createHash('sha1').update(text).digest('base64url').slice(0, 16);
  return { name: `longrun_${label}_${digest}`, text };
}

/** A pool and how to reach the database with a connection of one's own (the LISTEN connection). */
export interface Connection {
  pool: Pool;
  ownsPool: boolean;
  clientConfig: ClientConfig;
}

export function connect(pg: PgModule, config: PostgresConfig): Connection {
  if ('pool' in config) {
    return { pool: config.pool, ownsPool: false, clientConfig: { ...config.pool.options } };
  }
  const clientConfig = { connectionString: config.connectionString };
  const pool = new pg.Pool({ ...clientConfig, max: config.maxConnections });
  // An idle pooled connection that dies (server restart) is an event, not a crash: the pool replaces it.
  pool.on('error', (error) => config.onError?.(error));
  return { pool, ownsPool: true, clientConfig };
}

/**
 * A small pool whose commits do not wait for the WAL to reach the disk (synchronous_commit = off), for
 * what is not an acknowledgement. Claims: one lost to a database crash only puts its operation back
 * in the queue, where it runs again as after a lost lease (the worker's fenced writes fail, so it
 * stops), and the worker's next synchronous commit (progress, finish) flushes the WAL up to and
 * including its claim; this saves a disk flush on the way from submit to start. Change signals (see
 * SignalSender): a lost one costs a poll interval.
 */
export function asyncCommitPool(
  pg: PgModule,
  connection: Connection,
  onError?: (error: unknown) => void,
) {
  const pool = new pg.Pool({
    ...withStartupOption(connection.clientConfig, '-c synchronous_commit=off'),
    max: 2,
    application_name: connection.clientConfig.application_name ?? 'longrun-claims',
  });
  pool.on('error', (error) => onError?.(error));
  return pool;
}

/**
 * `config` with one more startup `options` setting. pg lets an `options` in the connection URL
 * replace the config's, so when there is a URL the setting goes into it, after the caller's own.
 */
function withStartupOption(config: ClientConfig, option: string): ClientConfig {
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString);
      const given = url.searchParams.get('options');
      url.searchParams.set('options', given ? `${given} ${option}` : option);
      return { ...config, connectionString: url.href };
    } catch {
      // Not a URL: pg reads no options from it, so the config's own are used.
    }
  }
  return { ...config, options: [config.options, option].filter(Boolean).join(' ') };
}

/** Runs a prepared statement and returns its rows. */
export async function rows<T extends QueryResultRow>(
  pool: Pool,
  sql: Statement,
  values: unknown[],
): Promise<T[]> {
  return (await pool.query<T>({ name: sql.name, text: sql.text, values })).rows;
}

/**
 * The database could not be reached or dropped the connection: connection exceptions (08), server
 * shutdowns and refused connections (57P01-57P03), no connection slots (53300), and the socket-level
 * failures node and pg report without a SQLSTATE. Says nothing about the statement itself.
 */
export function isUnavailableError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^(08|57P0[123]|53300)/.test(code)) return true;
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  }
  return (
    typeof message === 'string' &&
    /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/.test(
      message,
    )
  );
}

/** A statement the server refused (it rolled back): other statements of its batch may still succeed. */
export function isStatementError(error: unknown): boolean {
  // A server error (pg's DatabaseError carries a severity); connection, shutdown and resource classes
  // say nothing about the statement itself.
  const { severity, code } = (error ?? {}) as { severity?: unknown; code?: unknown };
  return (
    typeof severity === 'string' && typeof code === 'string' && !/^(08|53|57|58|XX)/.test(code)
  );
}
