import Database from 'better-sqlite3';
import { registerStepChanges } from './step-changes.js';

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

/** Opens the file with the settings every store connection needs. */
export function openDatabase(config: Required<SqliteOptions>): Database.Database {
  const db = new Database(config.path, { timeout: config.busyTimeoutMs });
  // Called by the event-log trigger of every write (migrations/0002-operation-events.ts).
  registerStepChanges(db);
  useWal(db, config.busyTimeoutMs);
  // NORMAL: commits write the WAL without syncing it; WalSync then syncs each batch off the main
  // thread before anyone is answered, so acknowledged writes survive a power loss as with FULL.
  db.pragma('synchronous = NORMAL');
  // Statement journals (an UPDATE whose triggers write the event log, inside a group commit) are
  // temp files by default: about 20 pwrite calls per claimed and finished operation. They only
  // roll back one statement inside an open transaction, so memory loses no durability.
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * Puts the file in WAL mode (kept in the file: later opens find it so). Two processes opening a new
 * file at once may both try to switch; SQLite then answers one of them SQLITE_BUSY at once, without
 * waiting on busy_timeout (waiting could deadlock), so the switch is retried for up to `timeoutMs`.
 */
function useWal(db: Database.Database, timeoutMs: number): void {
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
