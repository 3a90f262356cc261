import type BetterSqlite3 from 'better-sqlite3';

export interface SqliteOptions {
  /** File path, or `:memory:` (tests only: nothing survives the process). */
  path: string;
  /** How long a write waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export function sqliteOptions(options: SqliteOptions | string): Required<SqliteOptions> {
  const config = typeof options === 'string' ? { path: options } : options;
  if (!config.path) throw new TypeError('SqliteStore needs a file path, e.g. ./data/longrun.db');
  return { busyTimeoutMs: 5000, ...config };
}

/**
 * Puts the file in WAL mode (kept in the file: later opens find it so). Two processes opening a new
 * file at once may both try to switch; SQLite then answers one of them SQLITE_BUSY at once, without
 * waiting on busy_timeout (waiting could deadlock), so the switch is retried for up to `timeoutMs`.
 */
export function useWal(db: BetterSqlite3.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline)
        throw error;
      // The constructor is synchronous: sleep without returning to the event loop.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
