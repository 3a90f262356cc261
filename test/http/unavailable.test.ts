import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { serveNode } from '../../src/adapters/node.js';
import { createLongrun, defineOperation } from '../../src/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { ApiClient } from '../helpers/api-client.js';
import { assertProblem, assertRetryAfter } from '../helpers/assertions.js';
import { createTempDir } from '../helpers/temp-dir.js';

const noop = defineOperation({
  kind: 'noop',
  input: z.looseObject({}),
  run: async () => ({ ok: true }),
});

describe('the database unavailable', () => {
  it('answers 503 with Retry-After while another process holds the SQLite write lock, and changes nothing', async () => {
    const dir = await createTempDir();
    const file = dir.file('longrun.db');
    const longrun = createLongrun({
      store: new SqliteStore({ path: file, busyTimeoutMs: 50 }),
      routes: [{ method: 'POST', path: '/noop', operation: noop }],
      worker: false,
    });
    await longrun.start();
    const server = await serveNode(longrun.handler);
    const client = new ApiClient(server.url);
    // Another process (a backup, a second writer) holding the lock looks like this connection.
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const refused = await client.request('POST', '/noop', { body: {} });
      assertProblem(refused, 503, 'Unavailable');
      assertRetryAfter(refused.headers);
      other.exec('ROLLBACK');

      const listed = await client.request<{ value: unknown[] }>('GET', '/operations');
      assert.deepEqual(listed.body.value, [], 'the refused POST stored nothing');
      const retried = await client.request('POST', '/noop', { body: {} });
      assert.equal(retried.status, 202, 'the retry, once the lock is free');
    } finally {
      other.close();
      await server.close();
      await longrun.stop();
      await dir.remove();
    }
  });
});
