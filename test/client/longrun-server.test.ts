import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createClient,
  HttpError,
  isLongrunClientError,
  OperationCanceledError,
  OperationFailedError,
  type OperationSnapshot,
  TimeoutError,
} from '../../src/client/index.js';
import { type LongrunServer, LongrunServers } from './helpers/longrun-server.js';
import { SnapshotRecorder } from './helpers/snapshot-recorder.js';

interface Report {
  id: string;
  items: number;
  checksum: number;
}

describe('client against a real longrun server', () => {
  const servers = new LongrunServers();
  let server: LongrunServer;
  before(async () => {
    await servers.setUp();
    server = await servers.start('demo');
  });
  after(() => servers.tearDown());
  const client = () => createClient({ baseUrl: server.root, retry: { backoffMs: 10 } });

  it('starts a demo report, sees its progress to 100 % and resolves with the report', async () => {
    const handle = await client().start<Report>({
      url: 'reports',
      body: { items: 20, itemMs: 40 },
    });
    assert.equal(handle.snapshot?.status, 'NotStarted');
    assert.equal(handle.snapshot?.kind, 'report.generate');
    const seen: OperationSnapshot[] = [];
    for await (const snapshot of handle) seen.push(snapshot);
    const last = seen.at(-1)!;
    assert.equal(last.status, 'Succeeded');
    assert.equal(last.percentComplete, 100);
    const percents = seen.map((snapshot) => snapshot.percentComplete ?? 0);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'percent never goes back',
    );
    const report = await handle.wait();
    assert.equal(report.items, 20);
    assert.equal(report.id, last.id);
    // Long-poll today; the event stream once longrun advertises it (links.events).
    assert.equal(handle.transport, seen[0]!.links?.events === undefined ? 'long-poll' : 'events');
  });

  it('shows the step tree of a composite operation', async () => {
    const handle = await client().start({
      url: 'lifecycle-projects',
      body: { name: 'Apollo', template: 'req-dev', stepMs: 40 },
    });
    const recorder = new SnapshotRecorder(handle);
    await recorder.ended;
    const titles = recorder.snapshots.at(-1)!.steps!.map((step) => step.title);
    assert.deepEqual(titles.slice(0, 2), [
      'Creating requirements project',
      'Creating development project',
    ]);
  });

  it('several observers share one watch loop', async () => {
    const gate = server.gates.create();
    const handle = await client().start({ url: 'held', body: { gate: gate.name, stages: 3 } });
    const path = new URL(handle.url).pathname;
    const recorders = [new SnapshotRecorder(handle), new SnapshotRecorder(handle)];
    const iterated: OperationSnapshot[] = [];
    const iterating = (async () => {
      for await (const snapshot of handle) iterated.push(snapshot);
    })();
    const result = handle.wait();
    for (let stage = 1; stage <= 3; stage++) {
      gate.open();
      await recorders[0]!.reached((s) => s.progress?.completed === stage, `stage ${stage}`);
    }
    await Promise.all([result, iterating, ...recorders.map((r) => r.ended)]);
    assert.equal(server.log.maxOpen('GET', path), 1, 'one request at a time for all observers');
    const gets = server.log.matching('GET', path).length;
    assert.ok(gets <= 3 + 4, `${gets} GETs for 3 stages: one loop, not one per observer`);
    assert.deepEqual(
      iterated.map((s) => s.etag),
      recorders[1]!.snapshots.map((s) => s.etag),
    );
  });

  it('serialises a handle and attaches to it again, by JSON or by URL', async () => {
    const gate = server.gates.create();
    const started = await client().start({ url: 'held', body: { gate: gate.name } });
    const stored = JSON.stringify(started);
    const attached = client().operation(JSON.parse(stored));
    assert.equal(attached.url, started.url);
    const byUrl = client().operation(started.url);
    gate.open();
    const [a, b] = await Promise.all([attached.wait(), byUrl.wait()]);
    assert.equal((a as OperationSnapshot).status, 'Succeeded');
    assert.deepEqual(a, b);
  });

  it('cancels a running operation: wait() rejects with OperationCanceledError', async () => {
    const gate = server.gates.create();
    const handle = await client().start({ url: 'held', body: { gate: gate.name, stages: 2 } });
    await gate.started;
    const waiting = handle.wait();
    const answer = await handle.cancel();
    assert.ok(answer && ['Canceling', 'Canceled'].includes(answer.status));
    const error = await waiting.then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OperationCanceledError, String(error));
    assert.equal(error.error?.code, 'Canceled');
    assert.match(error.message, /was canceled/);
  });

  it('rejects with OperationFailedError carrying the operation error', async () => {
    const gate = server.gates.create();
    const handle = await client().start({
      url: 'held',
      body: { gate: gate.name, throws: 'disk on fire' },
    });
    gate.open();
    const error = await handle.wait().then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OperationFailedError, String(error));
    assert.ok(isLongrunClientError(error));
    assert.ok(error.error.code.length > 0 && error.error.message.length > 0);
    assert.match(error.message, new RegExp(`Operation ${handle.url} failed: ${error.error.code}`));
  });

  it('times out with TimeoutError and rejects attaching to an unknown operation with HttpError', async () => {
    const gate = server.gates.create();
    const handle = await client().start({ url: 'held', body: { gate: gate.name } });
    const timedOut = await handle.wait({ timeoutMs: 50 }).catch((e: unknown) => e);
    assert.ok(timedOut instanceof TimeoutError, String(timedOut));
    assert.match(timedOut.message, /did not finish within 50 ms/);
    gate.open();
    await handle.wait();

    const missing = client().operation(`${server.root}/operations/AAAAAAAAAAAAAAAAAAAAAAAA`);
    const error = await missing.wait().catch((e: unknown) => e);
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(error.status, 404);
    assert.match(error.message, /GET .* answered 404/);
  });

  it('refuses a bad start with HttpError carrying the problem document', async () => {
    const error = await client()
      .start({ url: 'reports', body: { items: -1 } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof HttpError, String(error));
    assert.ok(error.status >= 400 && error.status < 500);
    assert.equal(typeof (error.body as { error: { code: string } }).error.code, 'string');
  });

  it('authenticates with an API key', async () => {
    const keyed = await servers.start('keys', { apiKeys: { 'key-1': 'tenant-a' } });
    const handle = await createClient({ baseUrl: keyed.root, apiKey: 'key-1' }).start<Report>({
      url: `${keyed.root}/reports`,
      body: { items: 2 },
    });
    assert.equal((await handle.wait()).items, 2);
    const refused = await createClient()
      .operation(handle.url)
      .refresh()
      .catch((e: unknown) => e);
    assert.ok(refused instanceof HttpError && refused.status === 401, String(refused));
  });

  it('lists the operations of the caller', async () => {
    const handle = await client().start({ url: 'reports', body: { items: 1 } });
    await handle.wait();
    const kinds: string[] = [];
    for await (const operation of client().list({ kind: 'report.generate', pageSize: 2 })) {
      kinds.push(operation.kind ?? '');
    }
    assert.ok(kinds.length >= 2 && kinds.every((kind) => kind === 'report.generate'));
  });
});
