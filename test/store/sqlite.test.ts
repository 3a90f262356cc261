import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { newOperationId } from '../../src/store/operation-id.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import {
  SQLITE_MIGRATIONS,
  sqliteSchemaVersion,
} from '../../src/store/sqlite/sqlite-migrations.js';
import { OPERATION_SELECT, OperationRowStatement } from '../../src/store/sqlite/sqlite-rows.js';
import { claimOne, KIND, succeeded, TENANT } from './conformance/harness.js';
import { describeStoreConformance } from './conformance.js';

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeStoreConformance('SqliteStore', async () => {
  const { dir, remove } = tempDir();
  const store = new SqliteStore(join(dir, 'longrun.db'));
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    remove();
    throw error;
  }
  return {
    store,
    cleanup: async () => {
      await store.close();
      remove();
    },
  };
});

/**
 * A child process that opens a SqliteStore on `path` and migrates it when told "go" on stdin, so two
 * of them start migrating the same file at the same moment (SQLite is synchronous: two stores in one
 * process would only take turns).
 */
function migratingProcess(path: string) {
  const store = new URL('../../src/store/sqlite/index.ts', import.meta.url).href;
  const script = `
    const { SqliteStore } = await import(process.argv[1]);
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const store = new SqliteStore(process.argv[2]);
    await store.migrate();
    await store.close();
    process.stdout.write('migrated\\n');
    process.stdin.destroy();
  `;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, store, path],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, exited, lines };
}

describe('SqliteStore migrations', () => {
  it('two processes migrating the same fresh file at once both succeed, applying it once', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'shared.db');
    const children = [migratingProcess(path), migratingProcess(path)];
    try {
      for (const { lines } of children) assert.equal((await lines.next()).value, 'ready');
      for (const { child } of children) child.stdin!.write('go\n');
      for (const { exited, lines } of children) {
        assert.equal((await lines.next()).value, 'migrated');
        assert.deepEqual(await exited, [0, null]);
      }
      const db = new Database(path, { readonly: true });
      try {
        const applied = db.prepare('SELECT version FROM longrun_migrations ORDER BY version').all();
        assert.deepEqual(
          applied,
          SQLITE_MIGRATIONS.map(({ version }) => ({ version })),
        );
        assert.equal(sqliteSchemaVersion(db), SQLITE_MIGRATIONS.at(-1)!.version);
      } finally {
        db.close();
      }
      // A third store on the migrated file migrates again harmlessly and works.
      const store = new SqliteStore(path);
      try {
        await store.migrate();
        const created = await store.create({
          tenant: 't',
          kind: 'k',
          title: undefined,
          method: 'POST',
          input: 1,
          steps: [],
          maxAttempts: 1,
        });
        assert.equal(created.outcome, 'created');
      } finally {
        await store.close();
      }
    } finally {
      for (const { child } of children) if (child.exitCode === null) child.kill();
      remove();
    }
  });

  it('a file left at schema 4 with a queued operation upgrades, keeps its log and logs what follows', async () => {
    const { dir, remove } = tempDir();
    const path = join(dir, 'old.db');
    const id = newOperationId(Date.now());
    // The file as a longrun at schema 4 left it: migrations 1-4 and an operation waiting to run.
    const old = new Database(path);
    old.exec(`CREATE TABLE longrun_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    for (const migration of SQLITE_MIGRATIONS.filter(({ version }) => version <= 4)) {
      old.exec(migration.sql);
      old
        .prepare('INSERT INTO longrun_migrations VALUES (?, ?, ?)')
        .run(migration.version, migration.name, Date.now());
    }
    old
      .prepare(`INSERT INTO operations (id, tenant, kind, method, status, input, max_attempts,
        run_after, created_at, updated_at) VALUES (?, ?, ?, 'POST', 'NotStarted', '{}', 3, 0, 1, 1)`)
      .run(id, TENANT, KIND);
    old.close();

    const store = new SqliteStore(path);
    try {
      await store.migrate();
      assert.deepEqual(await store.schemaVersion(), {
        current: SQLITE_MIGRATIONS.at(-1)!.version,
        latest: SQLITE_MIGRATIONS.at(-1)!.version,
      });
      const { lease } = await claimOne(store);
      assert.equal(await store.finish(lease, succeeded({ percentComplete: 100 })), true);
      const read = await store.readEvents(TENANT, id, 0, 100);
      assert.equal(read.outcome, 'events');
      const events = read.outcome === 'events' ? read.events : [];
      assert.deepEqual(
        events.map(({ revision, type, data }) => [revision, type, data]),
        [
          [1, 'status', { status: 'NotStarted', done: false }],
          [2, 'status', { status: 'Running', done: false }],
          [3, 'progress', { percentComplete: 100 }],
          [3, 'status', { status: 'Succeeded', done: true }],
        ],
      );
    } finally {
      await store.close();
      remove();
    }
  });
});

describe('SqliteStore operation rows', () => {
  it('refuses a statement whose columns are not the ones operation rows are read by', async () => {
    const { dir, remove } = tempDir();
    const store = new SqliteStore(join(dir, 'longrun.db'));
    await store.migrate();
    const db = new Database(join(dir, 'longrun.db'));
    try {
      // Rows are read by position: a reordered list would put tenants in ids and vice versa.
      const swapped = OPERATION_SELECT.replace('id, tenant', 'tenant, id');
      assert.throws(
        () => new OperationRowStatement(db, `SELECT ${swapped} FROM operations`),
        /must select id, tenant, kind/,
      );
      assert.doesNotThrow(
        () => new OperationRowStatement(db, `SELECT ${OPERATION_SELECT} FROM operations`),
      );
    } finally {
      db.close();
      await store.close();
      remove();
    }
  });
});
