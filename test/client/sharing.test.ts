import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createClient, type OperationSnapshot } from '../../src/client/index.js';
import { type DialectServer, startDialectServer } from './helpers/dialect-server.js';
import { eventually } from './helpers/eventually.js';
import { HeldMonitor } from './helpers/held-monitor.js';
import { SnapshotRecorder } from './helpers/snapshot-recorder.js';

describe('observers of one handle share one connection', () => {
  let server: DialectServer | undefined;
  afterEach(() => server?.close());

  async function started() {
    const monitor = new HeldMonitor('/ops/1');
    server = await startDialectServer({
      'POST /jobs': ({ send }) => send(202, undefined, { 'operation-location': '/ops/1' }),
      ...monitor.routes(),
    });
    const handle = await createClient().start({ url: `${server.url}/jobs` });
    const gets = () => server!.requests('GET', '/ops/1').length;
    return { monitor, handle, gets };
  }

  it('two subscribers, an iterator and wait() hold one long-poll between them', async () => {
    const { monitor, handle, gets } = await started();
    const first = new SnapshotRecorder(handle);
    const second = new SnapshotRecorder(handle);
    const iterated: OperationSnapshot[] = [];
    const iterating = (async () => {
      for await (const snapshot of handle) iterated.push(snapshot);
    })();
    const result = handle.wait();
    await eventually(() => monitor.held === 1, 'one held long-poll');
    monitor.advance({ status: 'Running', percentComplete: 50 });
    await second.reached((s) => s.percentComplete === 50, '50 %');
    first.unsubscribe();
    await eventually(() => monitor.held === 1, 'the long-poll again, for the observers left');
    monitor.advance({ status: 'Succeeded', percentComplete: 100, result: { ok: true } });
    assert.deepEqual(await result, { ok: true });
    await Promise.all([iterating, second.ended]);
    assert.equal(monitor.maxHeld, 1, 'never more than one request at a time');
    assert.equal(gets(), 3, 'one GET per change, whatever the number of observers');
    // The 202 has no body (percent unknown), then the monitor says 0, 50 and 100.
    const percents = (list: OperationSnapshot[]) => list.map((s) => s.percentComplete);
    assert.deepEqual(percents(iterated), [undefined, 0, 50, 100]);
    assert.deepEqual(percents(second.snapshots), [undefined, 0, 50, 100]);
    assert.deepEqual(percents(first.snapshots), [undefined, 0, 50]);
  });

  it('the loop stops when the last observer leaves, and starts again with the next one', async () => {
    const { monitor, handle, gets } = await started();
    const leaveA = handle.subscribe(() => {});
    const leaveB = handle.subscribe(() => {});
    await eventually(() => monitor.held === 1, 'one held long-poll');
    leaveA();
    assert.equal(monitor.held, 1, 'still watched by B');
    leaveB();
    await eventually(() => monitor.held === 0, 'the long-poll closed by the client');
    const before = gets();
    const late: OperationSnapshot[] = [];
    const leaveC = handle.subscribe((snapshot) => late.push(snapshot));
    assert.equal(late.length, 1, 'a late observer gets the latest snapshot at once');
    await eventually(() => monitor.held === 1, 'a new long-poll for C');
    assert.equal(gets() - before, 2, 'a fresh read, then the long-poll: the old loop is gone');
    leaveC();
    await eventually(() => monitor.held === 0, 'closed again');
  });
});
