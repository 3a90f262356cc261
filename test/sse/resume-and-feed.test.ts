import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SseClient, type SseEvent } from '../helpers/sse-client.js';
import type { OperationView } from '../helpers/views.js';
import {
  afterSnapshot,
  countListeners,
  dataOf,
  passStage,
  sseEnvironment,
  TENANT_HEADER,
} from './sse-app.js';

const env = sseEnvironment('sse-resume');
before(() => env.setUp());
after(() => env.tearDown());

const newTenant = () => `tenant-${randomUUID()}`;

describe('SSE resume, history and the all-operations feed', () => {
  const app = env.useApp('resume');

  it('resumes after Last-Event-ID, even mid-revision: nothing missed, nothing repeated', async () => {
    const headers = { [TENANT_HEADER]: newTenant() };
    const api = app().client(headers);
    const gate = env.gates.create();
    const started = await api.post('/held', { gate: gate.name, stages: 6 });
    await gate.started;
    await api.until(started.body.id, (op) => op.status === 'Running', 'Running');
    const url = started.body.links.events!;
    const whole = await SseClient.open(url, headers);
    const first = await SseClient.open(url, headers);
    await Promise.all([whole.event('snapshot'), first.event('snapshot')]);
    assert.equal(first.events[0]?.id, whole.events[0]?.id, 'both start from one revision');

    await passStage(gate, first, 1);
    await passStage(gate, first, 2);
    // The client stops right after the first event of the second stage's revision (id `r:0`).
    const cut = first.events.findLastIndex((event) => event.type === 'progress');
    assert.match(first.events[cut]!.id, /^\d+:0$/);
    first.close();
    const kept = first.events.slice(0, cut + 1);

    await passStage(gate, whole, 3); // while it is away
    await passStage(gate, whole, 4);
    const second = await SseClient.open(url, { ...headers, 'last-event-id': kept.at(-1)!.id });
    assert.equal(second.status, 200);
    await passStage(gate, second, 5);
    gate.open();
    await Promise.all([second.ended, whole.ended]);
    assert.notEqual(second.events[0]?.type, 'snapshot', 'a resume replays, no snapshot');
    assert.deepEqual(
      [...afterSnapshot(kept), ...afterSnapshot(second.events)],
      afterSnapshot(whole.events),
    );
    assert.equal(whole.events.at(-1)?.type, 'done');
    assert.equal(whole.events.filter((e) => e.type === 'progress').length, 6);
  });

  it('sends a fresh snapshot when the history after Last-Event-ID is gone', async () => {
    const tenant = newTenant();
    const { store } = app().longrun;
    const created = await store.create({
      tenant,
      kind: 'sse.manual', // no worker runs it: the test writes it
      title: 'Written by the test',
      method: 'POST',
      input: {},
      steps: [],
      maxAttempts: 1,
    });
    assert.equal(created.outcome, 'created');
    const [claimed] = await store.claim({
      workerId: 't',
      kinds: ['sse.manual'],
      limit: 1,
      leaseMs: 60_000,
    });
    const lease = claimed!.lease;
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.update(lease, { message: `line ${i}` })),
    );
    const url = `${app().root}/operations/${lease.id}/events`;
    const stream = await SseClient.open(url, { [TENANT_HEADER]: tenant, 'last-event-id': '1' });
    const snapshot = await stream.event('snapshot');
    assert.equal(snapshot.id, '302');
    assert.equal(dataOf<OperationView>(snapshot).message, 'line 299');
    await store.finish(lease, {
      status: 'Succeeded',
      resultHttpStatus: 200,
      expiresAt: Date.now() + 60_000,
    });
    await stream.ended;
    assert.deepEqual(
      stream.events.map((event) => `${event.type}#${event.id}`),
      ['snapshot#302', 'status#303:0', 'done#303'],
    );
  });

  it('streams all the caller’s operations, resumable by id, and no one else’s', async () => {
    const headers = { [TENANT_HEADER]: newTenant() };
    const api = app().client(headers);
    const feedUrl = `${app().root}/operations/events`;
    const feed = await SseClient.open(feedUrl, headers);
    const snapshot = await feed.event('snapshot');
    assert.deepEqual(dataOf(snapshot), { operations: [] });
    const gates = [env.gates.create(), env.gates.create()];
    const ids: string[] = [];
    for (const gate of gates)
      ids.push((await api.post('/held', { gate: gate.name, stages: 2 })).body.id);
    await app().client().post('/reports', { items: 2, itemMs: 1 }); // another tenant's
    // One stage at a time, each seen in the feed before the next: no two land in one write.
    for (const [index, gate] of gates.entries()) {
      for (const stage of [1, 2]) {
        gate.open();
        await feed.until(`stage ${stage} of operation ${index}`, (events) =>
          events.some((e) => e.data.includes(ids[index]!) && e.data.includes(`stage ${stage} of`)),
        );
      }
    }
    const ended = (events: readonly SseEvent[], id: string) =>
      events.some((e) => e.type === 'status' && e.data.includes(id) && dataOf(e).done === true);
    await feed.until('both operations done', (events) => ids.every((id) => ended(events, id)));
    const seen = feed.events.slice(1).map((event) => dataOf<{ operationId: string }>(event));
    assert.deepEqual([...new Set(seen.map((event) => event.operationId))].sort(), [...ids].sort());
    for (const id of ids) {
      const types = feed.events.filter((e) => e.data.includes(id)).map((e) => e.type);
      assert.deepEqual(types, [
        'status',
        'status',
        'progress',
        'message',
        'progress',
        'message',
        'status',
      ]);
    }
    // A reconnect with the id of an event in the middle gets exactly the ones after it.
    const middle = 5;
    const resumed = await SseClient.open(feedUrl, {
      ...headers,
      'last-event-id': feed.events[middle]!.id,
    });
    await resumed.until('the rest', (events) => events.length >= feed.events.length - middle - 1);
    assert.deepEqual(
      resumed.events.map((e) => [e.type, e.id, e.data]),
      feed.events.slice(middle + 1).map((e) => [e.type, e.id, e.data]),
    );
    feed.close();
    resumed.close();
  });

  it('frees its store listener when clients leave or streams end', async () => {
    const isolated = await env.app('listeners', { eventStreams: { keepAliveMs: 20 } });
    try {
      const listeners = countListeners(isolated.longrun.store);
      const headers = { [TENANT_HEADER]: newTenant() };
      const api = isolated.client(headers);
      const gate = env.gates.create();
      const held = await api.post('/held', { gate: gate.name });
      await api.until(held.body.id, (op) => op.status === 'Running', 'Running');
      const streams = await Promise.all([
        ...[1, 2, 3].map(() => SseClient.open(held.body.links.events!, headers)),
        SseClient.open(`${isolated.root}/operations/events`, headers),
      ]);
      await Promise.all(streams.map((stream) => stream.event('snapshot')));
      assert.equal(listeners(), 1, 'one store listener for all the streams');
      streams[0]!.close();
      streams[3]!.close();
      gate.open(); // the other two end with done
      await Promise.all(streams.slice(1, 3).map((stream) => stream.ended));
      const deadline = Date.now() + 5000;
      while (listeners() > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(listeners(), 0, 'the store listener is gone');
    } finally {
      await isolated.close();
    }
  });
});
