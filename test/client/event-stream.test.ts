import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createClient } from '../../src/client/index.js';
import { type DialectServer, startDialectServer } from './helpers/dialect-server.js';
import { eventually } from './helpers/eventually.js';
import { ScriptedOperation } from './helpers/scripted-operation.js';
import { completedStages, SnapshotRecorder } from './helpers/snapshot-recorder.js';

const fast = { retry: { backoffMs: 10 }, polling: { intervalMs: 10, maxIntervalMs: 40 } };

describe('the event-stream transport', () => {
  let server: DialectServer | undefined;
  afterEach(() => server?.close());

  it('reads a lagging monitor again until it shows what the stream announced', async () => {
    const operation = new ScriptedOperation({ events: true });
    server = await startDialectServer(operation.routes());
    const handle = createClient(fast).operation(`${server.url}/ops/1`);
    const recorder = new SnapshotRecorder(handle);
    await eventually(() => operation.openStreams === 1, 'the stream open');
    operation.lagNextGets(2);
    operation.advance(true); // a bare "status" event: the client must read the monitor
    await recorder.reached((s) => s.progress?.completed === 1, 'stage 1');
    operation.finish();
    await recorder.ended;
    assert.deepEqual(completedStages(recorder.snapshots), [0, 1]);
    // The first read (attaching), two stale answers after the event, then the one that shows it.
    assert.ok(server.requests('GET', '/ops/1').length >= 4, 'read again after the stale answers');
    assert.equal(handle.transport, 'events');
  });

  it('falls back on polling when the events link does not serve a stream', async () => {
    const operation = new ScriptedOperation({ events: true });
    server = await startDialectServer({
      ...operation.routes(),
      'GET /ops/1/events': ({ send }) => send(404, { title: 'No streams here' }),
    });
    const handle = createClient(fast).operation(`${server.url}/ops/1`);
    const recorder = new SnapshotRecorder(handle);
    await recorder.reached((s) => s.progress?.completed === 0, 'stage 0');
    operation.advance();
    await recorder.reached((s) => s.progress?.completed === 1, 'stage 1');
    operation.finish();
    await recorder.ended;
    assert.equal(server.requests('GET', '/ops/1/events').length, 1, 'asked for the stream once');
    assert.notEqual(handle.transport, 'events');
  });
});
