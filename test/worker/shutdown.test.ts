import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal } from '../../src/protocol/operation-state.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { connectionRefused, type ServeProcess, ServeSandbox } from '../helpers/child-process.js';
import { isUnderway, OperationsApi } from './operations-api.js';

/**
 * SIGTERM stops `longrun serve` gracefully: it stops accepting connections at once, lets running
 * operations finish within --grace-ms, then aborts and releases the rest (they run again later, their
 * attempt given back), and exits 0. A second SIGTERM during the grace period exits at once, non-zero.
 */

const FAST = ['--demo-speed', '20', '--lease-ms', '1000'];

/** The listener closes as the first signal is handled; wait (bounded) until connections are refused. */
async function assertStopsAccepting(serve: ServeProcess): Promise<void> {
  await serve.waitForLine(/^SIGTERM: stopping\./);
  const deadline = Date.now() + 2000;
  while (!(await connectionRefused(serve.url))) {
    assert.ok(Date.now() < deadline, `still accepting connections after SIGTERM:\n${serve.output}`);
    await sleep(20);
  }
}

/** Reads the operation straight from the SQLite file, while no server runs on it. */
async function readStored(db: string, id: string) {
  const store = new SqliteStore(db);
  try {
    await store.migrate();
    const lookup = await store.get('anonymous', id);
    assert.equal(lookup.outcome, 'found');
    return lookup.operation;
  } finally {
    await store.close();
  }
}

describe('longrun serve on SIGTERM', () => {
  let sandbox: ServeSandbox;
  beforeEach(async () => {
    sandbox = await ServeSandbox.create('longrun-shutdown-');
  });
  afterEach(async () => {
    await sandbox.cleanup();
  });

  it('lets a running operation finish within the grace period, then exits 0', async () => {
    const serve = await sandbox.serve([...FAST, '--grace-ms', '20000']);
    const api = new OperationsApi(serve.url);
    // About 2 s of work: 40 items of 50 ms.
    const { id } = await api.start('/reports', { items: 40, itemMs: 1000 });
    await api.waitFor(id, isUnderway, 'under way');

    serve.signal('SIGTERM');
    await assertStopsAccepting(serve);
    const exit = await serve.exitWithin(10_000);
    assert.deepEqual(exit, { code: 0, signal: null }, serve.output);
    const lines = serve.output.split('\n');
    const stopping = lines.findIndex((line) => line.startsWith('SIGTERM: stopping.'));
    const finished = lines.findIndex((line) => line.includes(`succeeded report.generate ${id}`));
    assert.ok(stopping >= 0 && finished > stopping, `finished after SIGTERM:\n${serve.output}`);
    assert.doesNotMatch(serve.output, /released/);

    const stored = await readStored(sandbox.db, id);
    assert.equal(stored.status, 'Succeeded');
    assert.equal(stored.attempts, 1);
    assert.deepEqual(stored.progress, { completed: 40, total: 40, unit: 'items' });
  });

  it('releases an operation that outlives a short grace period; it runs again after a restart', async () => {
    const serve = await sandbox.serve([...FAST, '--grace-ms', '200']);
    const api = new OperationsApi(serve.url);
    // About 2.5 s of work: 50 items of 50 ms, far longer than the 200 ms of grace.
    const { id } = await api.start('/reports', { items: 50, itemMs: 1000 });
    await api.waitFor(id, isUnderway, 'under way');

    serve.signal('SIGTERM');
    await assertStopsAccepting(serve);
    const exit = await serve.exitWithin(10_000);
    assert.deepEqual(exit, { code: 0, signal: null }, serve.output);
    assert.match(serve.output, new RegExp(`released  report\\.generate ${id}`));

    // Given back to the queue with its attempt refunded: a shutdown is not the operation's failure.
    const released = await readStored(sandbox.db, id);
    assert.equal(isTerminal(released.status), false, released.status);
    assert.equal(released.attempts, 0);
    assert.match(released.message ?? '', /Interrupted by a worker shutdown; it will run again/);

    const restarted = await sandbox.serve(FAST);
    const done = await new OperationsApi(restarted.url).waitFor(id, (op) => op.done, 'finished');
    assert.equal(done.status, 'Succeeded', JSON.stringify(done.error));
    assert.equal(done.attempts, 1, 'the interrupted run did not count against the retry limit');
    assert.deepEqual(done.progress, { completed: 50, total: 50, unit: 'items' });
    // Released, not crashed: it ran again at once, with no lease to wait out.
    assert.doesNotMatch(restarted.output, /recovered interrupted operations/);
  });

  it('exits at once with a non-zero code on a second SIGTERM during the grace period', async () => {
    const serve = await sandbox.serve([...FAST, '--grace-ms', '60000']);
    const api = new OperationsApi(serve.url);
    // About 50 s of work: the grace period would wait for all of it.
    const { id } = await api.start('/reports', { items: 1000, itemMs: 1000 });
    await api.waitFor(id, isUnderway, 'under way');

    serve.signal('SIGTERM');
    await assertStopsAccepting(serve);
    serve.signal('SIGTERM');
    const exit = await serve.exitWithin(5000);
    assert.deepEqual(exit, { code: 143, signal: null }, serve.output);
    assert.match(serve.output, /Second SIGTERM: exiting now/);

    // Forced out, nothing was released: the lease expires and a restart recovers the operation.
    const restarted = await sandbox.serve(FAST);
    const again = await new OperationsApi(restarted.url).waitFor(
      id,
      (op) => op.status === 'Running' && op.attempts === 2,
      'running again',
    );
    assert.equal(again.done, false);
  });
});
