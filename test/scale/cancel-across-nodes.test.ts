import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../helpers/api-client.js';
import { POSTGRES_SKIP } from '../helpers/postgres.js';
import { PostgresCluster } from '../helpers/postgres-cluster.js';
import type { OperationView } from '../helpers/views.js';

/**
 * A cancel sent to one API node stops an operation that runs on a worker attached to another node, in
 * well under a second: node A (`serve --workers 0`) receives the `:cancel`; the operation was started
 * through node B and runs either on B's own in-process worker or on a `longrun worker` process. Neither
 * node shares memory with the worker: the request travels by NOTIFY. Measured from sending the cancel
 * to the record's endTime (the worker's Canceled write, database clock) and to node A answering
 * Canceled on a long-poll.
 */
const BOUND_MS = 1000;
const ROUNDS = 5;

type Timed = OperationView & { attempts: number };

async function cancelRound(a: ApiClient, b: ApiClient): Promise<{ ended: number; seen: number }> {
  // 1,000 steps of 100 ms: it runs until canceled.
  const started = await b.post<OperationView>('/reports', { items: 1000, itemMs: 100 });
  assert.equal(started.status, 202);
  const { id } = started.body;
  // Under way: the demo's report reports progress, the instrumented one runs steps.
  const underway = (op: OperationView) =>
    op.progress !== undefined || op.steps.some((step) => step.status === 'Running');
  await b.until(id, underway, 'under way', 10_000);
  const running = await a.operation(id);
  const etag = running.headers.get('etag')!;

  const sent = Date.now();
  const cancel = await a.cancel(id);
  assert.ok([200, 202].includes(cancel.status), `:cancel answered ${cancel.status}`);
  // Long-poll node A from the revision it answered: each answer comes when the record changes.
  let seen = cancel.body as OperationView;
  let tag = cancel.headers.get('etag') ?? etag;
  while (seen.status !== 'Canceled') {
    const reply = await a.get<OperationView>(a.operationUrl(id), {
      prefer: 'wait=5',
      'if-none-match': tag,
    });
    if (reply.status === 304) continue;
    assert.equal(reply.status, 200);
    seen = reply.body;
    tag = reply.headers.get('etag')!;
  }
  const seenMs = Date.now() - sent;
  const final = (await b.get<Timed>(b.operationUrl(id))).body;
  assert.equal(final.status, 'Canceled');
  assert.equal(final.attempts, 1, 'canceled on the run it was started on, not after a takeover');
  if (final.steps.length > 0) {
    const step = final.steps.find((candidate) => candidate.status === 'Canceled');
    assert.ok(step, `the running step was canceled: ${JSON.stringify(final.steps.slice(0, 3))}`);
  }
  return { ended: Date.parse(final.endTime!) - sent, seen: seenMs };
}

describe('cancel across API nodes on PostgreSQL', { skip: POSTGRES_SKIP }, () => {
  let cluster: PostgresCluster;
  before(async () => {
    cluster = await PostgresCluster.create();
  });
  after(async () => {
    await cluster?.cleanup();
  });

  for (const where of ['node B’s in-process worker', 'a worker process'] as const) {
    it(`stops an operation on ${where} in under ${BOUND_MS} ms`, { timeout: 60_000 }, async (t) => {
      if (cluster.apiNodes.length === 0) {
        // Node A: API only. Node B: the demo's in-process worker. Both on the same schema.
        await Promise.all([cluster.serve(), cluster.serve(['--workers', '1'])]);
      }
      const [a, b] = [cluster.api(0), cluster.api(1)];
      if (where === 'a worker process') {
        // From now on operations started through B run on a worker process: stop B's own worker by
        // replacing B with an API-only node, then attach one `longrun worker`.
        await cluster.apiNodes[1]!.kill('SIGTERM');
        cluster.apiNodes.pop();
        await Promise.all([cluster.serve(), cluster.worker()]);
      }
      const bNow = where === 'a worker process' ? cluster.api(1) : b;
      const timings: { ended: number; seen: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) timings.push(await cancelRound(a, bNow));
      const worst = (key: 'ended' | 'seen') => Math.max(...timings.map((timing) => timing[key]));
      t.diagnostic(
        `cancel -> Canceled written: ${timings.map((x) => x.ended).join(', ')} ms; seen on node A: ${timings.map((x) => x.seen).join(', ')} ms`,
      );
      assert.ok(worst('ended') < BOUND_MS, `cancel took ${worst('ended')} ms to land`);
      assert.ok(worst('seen') < BOUND_MS, `node A saw Canceled after ${worst('seen')} ms`);
    });
  }
});
