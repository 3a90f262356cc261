import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../helpers/api-client.js';
import { adminQuery, POSTGRES_SKIP } from '../helpers/postgres.js';
import { PostgresCluster } from '../helpers/postgres-cluster.js';
import type { OperationView } from '../helpers/views.js';
import type { BodyEvent } from './fixtures/scale-operations.js';

/**
 * Scale-out on real PostgreSQL with real processes: 2 API nodes (`serve --workers 0`) and 3 workers
 * (`longrun worker`, 2 s leases) share one schema; 1,000 operations go in through both nodes, and the
 * worker running a marked operation is SIGKILLed once that operation's first step is checkpointed.
 * Every operation ends Succeeded, no body ran on two workers at once, the dead worker's operations were
 * taken over within lease + 1 s, and steps it had finished did not run again.
 */
const LEASE_MS = 2000;
const TOTAL = 1000;
const WORKER_ARGS = ['--concurrency', '16', '--lease-ms', String(LEASE_MS)];

async function submitAll(apis: ApiClient[], count: number, concurrency: number) {
  const ids: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const reply = await apis[n % apis.length]!.post<OperationView>('/reports', {
        items: 3,
        itemMs: 40,
      });
      assert.equal(reply.status, 202, `POST /reports answered ${reply.status}`);
      ids.push(reply.body.id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return ids;
}

describe('2 API nodes and 3 workers on PostgreSQL', { skip: POSTGRES_SKIP }, () => {
  let cluster: PostgresCluster;
  before(async () => {
    cluster = await PostgresCluster.create();
  });
  after(async () => {
    await cluster?.cleanup();
  });

  it('runs 1,000 operations to Succeeded through a worker SIGKILL', {
    timeout: 90_000,
  }, async (t) => {
    await Promise.all([cluster.serve(), cluster.serve()]);
    await Promise.all([0, 1, 2].map(() => cluster.worker(WORKER_ARGS)));
    const [a, b] = [cluster.api(0), cluster.api(1)];

    // The marked operation: six 1.5 s steps, so the kill lands inside it (even on a busy machine).
    const marker = (await a.post<OperationView>('/reports', { items: 6, itemMs: 1500 })).body;
    const submitting = submitAll([a, b], TOTAL, 16);
    const checkpointed = await b.until(
      marker.id,
      (op) => op.steps.some((step) => step.title === 'item 1' && step.status === 'Succeeded'),
      'first step checkpointed',
      20_000,
    );
    const runner = (await cluster.bodyEvents()).find((e) => e.id === marker.id && e.e === 'start');
    const victim = cluster.workers.find((worker) => worker.pid === runner?.pid);
    assert.ok(victim, `a worker process started ${marker.id}`);

    // What the victim had persisted just before the kill: its leased operations and their steps.
    const started = new Set(
      (await cluster.bodyEvents()).filter((e) => e.pid === victim.pid).map((e) => e.id),
    );
    const snapshot = await adminQuery<{ id: string; steps: string; attempts: number }>(
      `SELECT id, steps, attempts FROM "${cluster.schema}".operations
       WHERE queue_state = 'leased' AND id = ANY($1)`,
      [[...started]],
    );
    const killedAt = Date.now();
    const exit = victim.kill('SIGKILL');
    assert.equal((await exit).signal, 'SIGKILL');
    t.diagnostic(
      `SIGKILL with ${snapshot.length} operations leased (its own), then ${Object.entries(
        await cluster.statusCounts(),
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );

    const ids = await submitting;
    assert.equal(new Set(ids).size, TOTAL);
    const counts = await cluster.allFinished(TOTAL + 1, 45_000);
    assert.deepEqual(counts, { Succeeded: TOTAL + 1 }, 'every operation ended Succeeded');
    const events = await cluster.bodyEvents();
    const perWorker = cluster.workers.map(
      (worker) => events.filter((e) => e.pid === worker.pid && e.e === 'start').length,
    );
    t.diagnostic(
      `bodies started per worker: ${perWorker.join(', ')} (the SIGKILLed one: ${victim.pid})`,
    );

    assertNoOverlap(events, victim.pid, killedAt);

    // Taken over: each operation the victim held at the kill started again elsewhere within lease + 1 s.
    const takeovers: number[] = [];
    for (const held of snapshot) {
      const restart = events.find(
        (e) => e.id === held.id && e.e === 'start' && e.a > held.attempts,
      );
      if (!restart) continue; // it finished on the victim between the snapshot and the kill
      assert.notEqual(restart.pid, victim.pid);
      takeovers.push(restart.t - killedAt);
    }
    assert.ok(
      takeovers.length > 0,
      `the marked operation, at least, was taken over: ${JSON.stringify({ snapshot: snapshot.map((row) => [row.id, row.attempts]), marker: events.filter((e) => e.id === marker.id), victim: victim.pid })}`,
    );
    const slowest = Math.max(...takeovers);
    t.diagnostic(
      `${takeovers.length} operations taken over after the SIGKILL in ${Math.min(...takeovers)}..${slowest} ms (lease ${LEASE_MS} ms); ${counts.Succeeded} Succeeded`,
    );
    assert.ok(slowest <= LEASE_MS + 1000, `takeover took ${slowest} ms > lease + 1 s`);

    // Checkpoints: a step the victim had recorded as Succeeded did not run again.
    let skipped = 0;
    for (const held of snapshot) {
      const done = (JSON.parse(held.steps) as { title: string; status: string }[])
        .filter((step) => step.status === 'Succeeded')
        .map((step) => step.title);
      for (const title of done) {
        const reruns = events.filter(
          (e) => e.id === held.id && e.e === 'step-start' && e.s === title && e.a > held.attempts,
        );
        assert.deepEqual(reruns, [], `${held.id} ran its finished step "${title}" again`);
        skipped++;
      }
    }
    assert.ok(skipped >= 1, 'the marked operation had a checkpointed step');
    const final = (await a.get<OperationView & { attempts: number }>(a.operationUrl(marker.id)))
      .body;
    assert.equal(final.attempts, 2, 'the marked operation ran twice: killed, then taken over');
    const firstStep = (op: OperationView) => op.steps.find((step) => step.title === 'item 1');
    assert.deepEqual(firstStep(final), firstStep(checkpointed), 'item 1 kept its only run');
  });
});

/**
 * No operation body ran on two workers at once: per operation, each run (a start, then its end, or the
 * kill for the victim's unfinished runs) begins only after the previous one ended.
 */
function assertNoOverlap(events: BodyEvent[], victimPid: number, killedAt: number): void {
  const runs = new Map<string, { pid: number; start: number; end: number }[]>();
  const open = new Map<string, { pid: number; start: number; end: number }>();
  for (const event of events) {
    const key = `${event.id}/${event.pid}/${event.a}`;
    if (event.e === 'start') {
      const run = { pid: event.pid, start: event.t, end: Number.POSITIVE_INFINITY };
      open.set(key, run);
      runs.set(event.id, [...(runs.get(event.id) ?? []), run]);
    } else if (event.e === 'end') {
      const run = open.get(key);
      if (run) run.end = event.t;
    }
  }
  for (const [id, list] of runs) {
    for (const run of list) {
      if (run.end === Number.POSITIVE_INFINITY && run.pid === victimPid) run.end = killedAt;
      assert.ok(Number.isFinite(run.end), `${id}: a run on ${run.pid} never ended`);
    }
    list.sort((x, y) => x.start - y.start);
    for (let i = 1; i < list.length; i++) {
      assert.ok(
        list[i]!.start >= list[i - 1]!.end,
        `${id} ran on ${list[i - 1]!.pid} and ${list[i]!.pid} at the same time`,
      );
    }
  }
}
