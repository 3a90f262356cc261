import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ClientOptions, createClient, type OperationHandle } from '../../src/client/index.js';
import { type DialectServer, startDialectServer } from './helpers/dialect-server.js';
import { eventually } from './helpers/eventually.js';
import { type LongrunServer, LongrunServers } from './helpers/longrun-server.js';
import { ScriptedOperation } from './helpers/scripted-operation.js';
import { completedStages, SnapshotRecorder } from './helpers/snapshot-recorder.js';

const STAGES = 5;
const fast: ClientOptions = {
  retry: { backoffMs: 10 },
  polling: { intervalMs: 10, maxIntervalMs: 40 },
};

/**
 * Advances an operation stage by stage, cutting the client's connections twice: right after it saw a
 * change, and just before the next change (which then happens while it reconnects). Every stage must
 * be seen exactly once, in order. `settled`, when given, must hold before each change: the operation
 * stays as it is until then (a client learns that a server does not hold long-polls from an answer
 * with nothing new, which it never meets if every answer races a change).
 */
async function acrossDisconnects(
  handle: OperationHandle,
  advance: (stage: number) => void,
  cut: () => void,
  settled?: { what: string; holds: () => boolean },
): Promise<SnapshotRecorder> {
  const recorder = new SnapshotRecorder(handle);
  await recorder.reached(() => true, 'a first snapshot');
  for (let stage = 1; stage <= STAGES; stage++) {
    if (settled) await eventually(settled.holds, settled.what);
    if (stage === 3) cut();
    advance(stage);
    await recorder.reached((s) => s.progress?.completed === stage, `stage ${stage}`);
    if (stage === 2) cut();
  }
  return recorder;
}

function assertEachStageOnce(recorder: SnapshotRecorder): void {
  const stages = completedStages(recorder.snapshots);
  assert.deepEqual(stages.slice(0, STAGES), [1, 2, 3, 4, 5]);
  assert.equal(new Set(stages).size, stages.length, `no stage twice: ${stages}`);
  const revisions = recorder.snapshots.map((s) => s.etag ?? s.eventId);
  assert.equal(new Set(revisions).size, revisions.length, `no revision twice: ${revisions}`);
}

describe('no event lost or repeated across a forced disconnect: longrun', () => {
  const servers = new LongrunServers();
  let server: LongrunServer;
  let noLongPoll: LongrunServer;
  before(async () => {
    await servers.setUp();
    server = await servers.start('disconnects');
    noLongPoll = await servers.start('no-long-poll', { limits: { maxWaitSeconds: 0 } });
  });
  after(() => servers.tearDown());

  async function run(
    target: LongrunServer,
    options: ClientOptions,
    settled?: (handle: OperationHandle) => { what: string; holds: () => boolean },
  ) {
    const gate = target.gates.create();
    const client = createClient({ ...fast, ...options });
    const handle = await client.start({
      url: `${target.root}/held`,
      body: { gate: gate.name, stages: STAGES + 1 },
    });
    const recorder = await acrossDisconnects(
      handle,
      () => gate.open(),
      target.cutConnections,
      settled?.(handle),
    );
    gate.open(); // the last stage ends the run at once: too short-lived to be sure to see
    await recorder.ended;
    assertEachStageOnce(recorder);
    assert.equal(recorder.snapshots.at(-1)?.status, 'Succeeded');
    return handle;
  }

  it('by SSE, resuming with Last-Event-ID', async (t) => {
    const probe = await createClient().start({ url: `${server.root}/reports`, body: { items: 1 } });
    if (probe.snapshot?.links?.events === undefined) {
      t.skip('longrun does not advertise links.events yet (PROTOCOL.md section 7 is not served)');
      return;
    }
    const handle = await run(server, {});
    assert.equal(handle.transport, 'events');
  });

  it('by long-poll, with SSE turned off', async () => {
    const handle = await run(server, { transports: { events: false } });
    assert.equal(handle.transport, 'long-poll');
    const path = new URL(handle.url).pathname;
    assert.ok(server.log.matching('GET', path).some((r) => r.headers.get('prefer') === 'wait=30'));
  });

  it('by plain polling, on a server with long-poll turned off too', async () => {
    // Each change waits until the client has fallen back to polling (and fails if it never does).
    const handle = await run(noLongPoll, { transports: { events: false } }, (watched) => ({
      what: 'the client to fall back to plain polling',
      holds: () => watched.transport === 'poll',
    }));
    assert.equal(handle.transport, 'poll');
  });
});

describe('no event lost or repeated across a forced disconnect: scripted servers', () => {
  let server: DialectServer | undefined;
  after(() => server?.close());

  async function scripted(events: boolean) {
    await server?.close();
    const operation = new ScriptedOperation({ events });
    server = await startDialectServer(operation.routes());
    const handle = createClient(fast).operation(`${server.url}/ops/1`);
    return { operation, handle, server };
  }

  it('by SSE: resumes after the last event id, also across two changes made while cut off', async () => {
    const { operation, handle } = await scripted(true);
    const recorder = await acrossDisconnects(
      handle,
      (stage) => operation.advance(stage === 4), // stage 4 comes as a bare "status" event: re-read
      () => operation.cutStreams(),
    );
    operation.cutStreams();
    operation.advance();
    operation.advance();
    await recorder.reached((s) => s.progress?.completed === 7, 'stage 7');
    operation.finish();
    await recorder.ended;
    assert.deepEqual(completedStages(recorder.snapshots), [0, 1, 2, 3, 4, 5, 6, 7]);
    const ids = operation.lastEventIds;
    assert.equal(ids[0], undefined, 'the first connection starts from a snapshot');
    assert.ok(ids.length >= 3, `reconnected after the cuts: ${ids}`);
    assert.ok(
      ids.slice(1).every((id) => id !== undefined),
      `resumed with Last-Event-ID: ${ids}`,
    );
    assert.equal(handle.transport, 'events');
    assert.deepEqual(await handle.wait(), { answer: 42 });
  });

  it('by plain polling a server without Prefer support, through dropped connections', async () => {
    const { operation, handle, server } = await scripted(false);
    // Let the client find out that this server answers `Prefer: wait` at once, and poll instead.
    const leave = handle.subscribe(() => {});
    await eventually(() => handle.transport === 'poll', 'the client polls');
    const recorder = await acrossDisconnects(
      handle,
      () => operation.advance(),
      () => server.dropNext(2),
    );
    leave();
    operation.finish();
    await recorder.ended;
    assert.deepEqual(completedStages(recorder.snapshots), [0, 1, 2, 3, 4, 5]);
    assert.equal(handle.transport, 'poll');
    assert.ok(server.requests('GET', '/ops/1').some((r) => r.headers.get('if-none-match')));
  });
});
