import type { Database } from 'better-sqlite3';
import * as m0001 from './migrations/0001-operations.js';
import * as m0002 from './migrations/0002-operation-events.js';
import * as m0003 from './migrations/0003-durations.js';
import * as m0004 from './migrations/0004-webhooks.js';
import * as m0005 from './migrations/0005-triggers-without-in-lists.js';

/** Numbered migrations, embedded in the package as modules so `dist` needs no asset copying. */
export const SQLITE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'operations', sql: m0001.sql },
  { version: 2, name: 'operation-events', sql: m0002.sql },
  { version: 3, name: 'durations', sql: m0003.sql },
  { version: 4, name: 'webhooks', sql: m0004.sql },
  { version: 5, name: 'triggers-without-in-lists', sql: m0005.sql },
];

/**
 * Applies the migrations this file has not seen, each in its own IMMEDIATE transaction, so two processes
 * opening the same file at once apply each migration exactly once (the loser waits on the write lock,
 * then sees the version recorded).
 */
export function migrateSqlite(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS longrun_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT 1 FROM longrun_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO longrun_migrations VALUES (?, ?, ?)');
  for (const migration of SQLITE_MIGRATIONS) {
    db.transaction(() => {
      if (applied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}

/** The version of the newest migration applied to this file; 0 for a file longrun never migrated. */
export function sqliteSchemaVersion(db: Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'longrun_migrations'")
    .get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM longrun_migrations').get() as
    | { version: number | null }
    | undefined;
  return row?.version ?? 0;
}

export const latestSqliteVersion = () => SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
