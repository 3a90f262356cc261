import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseEventId } from '../../src/protocol/server-sent-events.js';
import { SseClient, type SseEvent } from '../helpers/sse-client.js';
import type { OperationView, StepView } from '../helpers/views.js';
import { dataOf, sseEnvironment, TENANT_HEADER } from './sse-app.js';

const env = sseEnvironment('sse-operation');
before(() => env.setUp());
after(() => env.tearDown());

/** The steps of a tree, parents before their children (document order). */
const flatten = (steps: readonly StepView[]): StepView[] =>
  steps.flatMap((step) => [step, ...flatten(step.steps ?? [])]);

/** Revision and part of an event id, as one comparable number. */
function order(event: SseEvent): number {
  const position = parseEventId(event.id);
  assert.ok(position, `event id ${JSON.stringify(event.id)} is one this server gives`);
  return position.revision * 1000 + (position.part ?? 999);
}

describe('GET R/operations/{id}/events', () => {
  const app = env.useApp('stream', { eventStreams: { keepAliveMs: 50 } });
  const tenant = () => {
    const headers = { [TENANT_HEADER]: `tenant-${randomUUID()}` };
    return { headers, api: app().client(headers) };
  };

  it('shows every step of a lifecycle project in order, then done, then ends', async () => {
    const { headers, api } = tenant();
    const started = await api.post('/lifecycle-projects', { name: 'Apollo', stepMs: 400 });
    assert.equal(started.status, 202);
    const url = started.body.links.events!;
    assert.equal(url, `${api.operationUrl(started.body.id)}/events`);
    const stream = await SseClient.open(url, headers);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    await stream.ended;

    const [snapshot, ...events] = stream.events;
    assert.equal(snapshot?.type, 'snapshot');
    assert.ok(snapshot.hasId && /^\d+$/.test(snapshot.id), 'the snapshot carries the revision');
    const done = events.at(-1)!;
    assert.equal(done.type, 'done');
    const final = dataOf<OperationView>(done);
    assert.deepEqual(
      [final.status, final.done, final.links.events],
      ['Succeeded', true, undefined],
    );
    for (let index = 1; index < stream.events.length; index++) {
      assert.ok(order(stream.events[index]!) > order(stream.events[index - 1]!), 'ids only grow');
    }

    // Every event of the log after the snapshot, in its order: none missed, none repeated.
    const log = await app().longrun.store.readEvents(
      headers[TENANT_HEADER]!,
      final.id,
      Number(snapshot.id),
      1000,
    );
    assert.equal(log.outcome, 'events');
    const logged = log.outcome === 'events' ? log.events : [];
    assert.deepEqual(
      events.slice(0, -1).map((event) => `${parseEventId(event.id)?.revision} ${event.type}`),
      logged.map((event) => `${event.revision} ${event.type}`),
    );

    // Each step only moves forward, every one ends Succeeded, and they succeed in the order the
    // demo runs them (children before their parent): by the revision that showed each succeed.
    const rank: Record<string, number> = { NotStarted: 0, Running: 1, Succeeded: 2 };
    const status = new Map(flatten(dataOf<OperationView>(snapshot).steps).map((s) => [s.id, s]));
    const succeededAt = new Map<string, number>();
    for (const event of events.filter((e) => e.type === 'step')) {
      for (const step of dataOf<{ steps: StepView[] }>(event).steps) {
        const before = status.get(step.id)?.status ?? 'NotStarted';
        assert.ok(
          rank[step.status]! >= rank[before]!,
          `step ${step.id}: ${before} -> ${step.status}`,
        );
        if (step.status === 'Succeeded' && before !== 'Succeeded') {
          succeededAt.set(step.id, parseEventId(event.id)!.revision);
          assert.equal(step.percentComplete, 100);
        }
        status.set(step.id, step);
      }
    }
    assert.equal(status.size, 18);
    assert.ok([...status.values()].every((step) => step.status === 'Succeeded'));
    const runOrder = (steps: readonly StepView[]): string[] =>
      steps.flatMap((step) => [...runOrder(step.steps ?? []), step.id]);
    const revisions = runOrder(final.steps).map((id) => succeededAt.get(id) ?? 0);
    assert.deepEqual(
      revisions,
      [...revisions].sort((a, b) => a - b),
    );
    assert.ok(succeededAt.size > 0);
    assert.ok(events.some((e) => e.type === 'status' && dataOf(e).status === 'Succeeded'));
  });

  it('answers 204 to a reconnect after done, and streams on Accept: text/event-stream', async () => {
    const { headers, api } = tenant();
    const started = await api.post('/reports', { items: 3, itemMs: 20 });
    const stream = await SseClient.open(api.operationUrl(started.body.id), headers);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    await stream.ended;
    assert.equal(stream.events.at(-1)?.type, 'done');
    for (const url of [started.body.links.events!, api.operationUrl(started.body.id)]) {
      const again = await SseClient.open(url, { ...headers, 'last-event-id': stream.lastEventId });
      assert.equal(again.status, 204, url);
      await again.ended;
      assert.deepEqual(again.events, []);
    }
    // A new client (no Last-Event-ID) still learns the end: snapshot, done, end.
    const late = await SseClient.open(started.body.links.events!, headers);
    await late.ended;
    assert.deepEqual(
      late.events.map((event) => [event.type, event.id]),
      [
        ['snapshot', stream.lastEventId],
        ['done', stream.lastEventId],
      ],
    );
  });

  it("answers 404 for another tenant's operation, as GET does", async () => {
    const owner = tenant();
    const gate = env.gates.create();
    const started = await owner.api.post('/held', { gate: gate.name });
    const stranger = tenant();
    for (const url of [started.body.links.events!, owner.api.operationUrl(started.body.id)]) {
      const stream = await SseClient.open(url, stranger.headers);
      assert.equal(stream.status, 404, url);
      assert.match(stream.headers.get('content-type') ?? '', /problem\+json/);
      await stream.ended;
    }
    const missing = await SseClient.open(`${owner.api.root}/operations/nope/events`, owner.headers);
    assert.equal(missing.status, 404);
    await missing.ended;
    gate.open();
  });

  it('sends retry: from the Retry-After policy, and a keep-alive comment while idle', async () => {
    const { headers, api } = tenant();
    const gate = env.gates.create();
    const started = await api.post('/held', { gate: gate.name });
    const stream = await SseClient.open(started.body.links.events!, headers);
    await stream.event('snapshot');
    const deadline = Date.now() + 5000;
    while (stream.comments < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok(stream.comments >= 2, `keep-alive comments: ${stream.comments}`);
    assert.equal(stream.retryMs, Number(started.headers.get('retry-after')) * 1000);
    gate.open();
    await stream.ended;
    assert.equal(stream.events.at(-1)?.type, 'done');
  });
});
