import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveNode } from '../../src/adapters/node.js';
import type { StatsDocument } from '../../src/protocol/duration-stats.js';
import { retryAfterForRemaining } from '../../src/protocol/estimate.js';
import type { ApiClient, Reply } from '../helpers/api-client.js';
import { assertProblem, assertRepresentation, assertRfc3339 } from '../helpers/assertions.js';
import type { OperationView, StepView } from '../helpers/views.js';
import { DEMO_SPEED, SuiteEnvironment } from './suite/environment.js';

type Estimated<T> = T & {
  estimatedRemainingSeconds?: number;
  estimatedCompletionDateTime?: string;
};
type EstimatedOperation = Estimated<Omit<OperationView, 'steps'>> & { steps: EstimatedStep[] };
type EstimatedStep = Estimated<Omit<StepView, 'steps'>> & { steps?: EstimatedStep[] };

/** The bound the acceptance criterion sets on the estimate at the halfway point. */
const BOUND = 0.25;
/** 40 items of 1000 demo ms: 50 ms each at demo speed 20, about 2 s a run. */
const REPORT = { items: 40, itemMs: 1000 };
/** 13 sub-steps of 2000 demo ms: 100 ms each, about 1.3 s a run. */
const PROJECT = { name: 'Estimated', template: 'req-dev-test', stepMs: 2000 };

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(10);
  }
}

/**
 * Runs `count` operations at `path` one after another, each to success: alone, as the run estimated
 * later will be, so that their durations are comparable.
 */
async function runToCompletion(client: ApiClient, path: string, body: unknown, count: number) {
  const done: OperationView[] = [];
  for (let run = 0; run < count; run++) {
    const { body: started } = await client.post(path, body);
    done.push(await client.done(started.id, 20_000));
    assert.equal(done.at(-1)!.status, 'Succeeded');
  }
  return done;
}

const stats = (client: ApiClient, query = '') =>
  client.get<StatsDocument>(`/stats${query}`) as Promise<Reply<StatsDocument>>;

/** Waits until the stats of `kind` count `expected` runs by outcome (durations are written shortly after). */
function statsCounting(client: ApiClient, kind: string, expected: Record<string, number>) {
  return poll(`stats of ${kind} to count ${JSON.stringify(expected)}`, async () => {
    const reply = await stats(client);
    const entry = reply.body.kinds.find((k) => k.kind === kind);
    const counts = entry?.counts as Record<string, number> | undefined;
    const matches = counts && Object.entries(expected).every(([s, n]) => counts[s] === n);
    return matches ? entry : undefined;
  });
}

describe(`time estimates over HTTP (node:http, SQLite, demo speed ${DEMO_SPEED})`, () => {
  const env = new SuiteEnvironment('estimates', async (handler, basePath) => {
    const server = await serveNode(handler, { closeGraceMs: 500 });
    return { baseUrl: `${server.url}${basePath}`, close: () => server.close() };
  });
  before(() => env.setUp());
  after(() => env.tearDown());
  const app = env.useApp('estimates');
  let client: ApiClient;
  const reportRuns: OperationView[] = [];
  before(() => {
    client = app().client();
  });

  it(`after 3 runs, a 4th report's estimatedRemainingSeconds at 50 % is within ${BOUND * 100} % of the real remaining time`, async (t) => {
    reportRuns.push(...(await runToCompletion(client, '/reports', REPORT, 3)));
    await statsCounting(client, 'report.generate', { Succeeded: 3 });

    const { body: started } = await client.post('/reports', REPORT);
    const { reply, observedAt } = await poll('the report to be half done', async () => {
      const sent = Date.now();
      const read = await client.get<EstimatedOperation>(client.operationUrl(started.id));
      const percent = read.body.percentComplete ?? 0;
      if (read.body.done) assert.fail(`finished before it was seen half done (${percent} %)`);
      return percent >= 50 ? { reply: read, observedAt: (sent + Date.now()) / 2 } : undefined;
    });
    const halfway = reply.body;
    assertRepresentation(halfway as OperationView, client.root);
    const estimate = halfway.estimatedRemainingSeconds;
    assert.equal(
      typeof estimate,
      'number',
      'a running report of a kind with history has an estimate',
    );
    assertRfc3339(halfway.estimatedCompletionDateTime, 'estimatedCompletionDateTime');
    const completionMs = Date.parse(halfway.estimatedCompletionDateTime!);
    assert.ok(Math.abs(completionMs - (observedAt + estimate! * 1000)) < 250, 'the two agree');
    assert.equal(
      reply.headers.get('retry-after'),
      String(retryAfterForRemaining(estimate! * 1000)),
      'Retry-After follows the estimate',
    );

    const finished = await client.done(started.id, 20_000);
    reportRuns.push(finished);
    const actual = (Date.parse(finished.endTime!) - observedAt) / 1000;
    const error = Math.abs(estimate! - actual) / actual;
    t.diagnostic(
      `at ${halfway.percentComplete} %: estimated ${estimate} s, actual ${actual.toFixed(3)} s (${(error * 100).toFixed(1)} % off)`,
    );
    assert.ok(
      error <= BOUND,
      `estimatedRemainingSeconds ${estimate} s at ${halfway.percentComplete} % should be within ${BOUND * 100} % of the real remaining ${actual.toFixed(3)} s (off by ${(error * 100).toFixed(1)} %)`,
    );
    assert.equal(finished.status, 'Succeeded');
    assert.equal(
      (finished as EstimatedOperation).estimatedRemainingSeconds,
      undefined,
      'none once done',
    );
  });

  it('Retry-After grows with the estimate when the end is far', async () => {
    // 2000 items, 25 ms each: about 50 s; once it runs past the usual 2 s, the progress rate rules.
    const { body: started } = await client.post('/reports', { items: 2000, itemMs: 500 });
    const reply = await poll('an estimate of 20 s or more', async () => {
      const read = await client.get<EstimatedOperation>(client.operationUrl(started.id));
      return (read.body.estimatedRemainingSeconds ?? 0) >= 20 ? read : undefined;
    });
    const retryAfter = Number(reply.headers.get('retry-after'));
    assert.equal(retryAfter, retryAfterForRemaining(reply.body.estimatedRemainingSeconds! * 1000));
    assert.ok(retryAfter >= 2, `Retry-After ${retryAfter} is longer than when the end is near`);
    const notModified = await client.get(client.operationUrl(started.id), {
      'if-none-match': reply.headers.get('etag')!,
    });
    if (notModified.status === 304) assert.match(notModified.headers.get('retry-after')!, /^\d+$/);
    assert.equal((await client.cancel(started.id)).status < 300, true);
    assert.equal((await client.done(started.id)).status, 'Canceled');
  });

  it('estimates steps still to run from the history of each step title', async () => {
    await runToCompletion(client, '/lifecycle-projects', PROJECT, 2);
    await statsCounting(client, 'lifecycle-project.create', { Succeeded: 2 });
    const { body: started } = await client.post('/lifecycle-projects', PROJECT);
    const running = await poll('the second project to be created', async () => {
      const { body } = await client.get<EstimatedOperation>(client.operationUrl(started.id));
      return body.steps[1]?.status === 'Running' ? body : undefined;
    });
    assert.equal(typeof running.estimatedRemainingSeconds, 'number');
    const [, second, third, links, lifecycle] = running.steps;
    const ends = [second, third, links, lifecycle].map((step) => step!.estimatedRemainingSeconds);
    for (const [index, end] of ends.entries()) {
      assert.equal(typeof end, 'number', `step ${index + 2} has an estimate`);
    }
    assert.deepEqual(
      ends,
      [...ends].sort((a, b) => a! - b!),
      'later steps end later',
    );
    const subStep = third!.steps?.[0];
    assert.equal(typeof subStep?.estimatedRemainingSeconds, 'number', 'so do their sub-steps');
    assertRfc3339(lifecycle!.estimatedCompletionDateTime, 'a step estimatedCompletionDateTime');
    assert.equal(running.steps[0]!.estimatedRemainingSeconds, undefined, 'none for a done step');
    assert.equal((await client.done(started.id, 20_000)).status, 'Succeeded');
  });

  it('GET /stats counts runs by outcome with p50/p95 per kind and step, for the caller only', async () => {
    const reports = await statsCounting(client, 'report.generate', {
      Succeeded: 4,
      Failed: 0,
      Canceled: 1,
    });
    const durations = reportRuns
      .map((run) => Date.parse(run.endTime!) - Date.parse(run.startTime!))
      .sort((a, b) => a - b);
    const p50 = reports.durationSeconds!.p50 * 1000;
    const middle = (durations[1]! + durations[2]!) / 2;
    assert.ok(Math.abs(p50 - middle) / middle < 0.1, `p50 ${p50} ms near ${middle} ms`);
    assert.ok(reports.durationSeconds!.p95 >= reports.durationSeconds!.p50);
    assert.deepEqual(reports.steps, [], 'reports have no steps');

    const projects = await statsCounting(client, 'lifecycle-project.create', { Succeeded: 3 });
    const provisioning = projects.steps.find(
      (step) => step.path.join(' / ') === 'Creating test project / Provisioning repository',
    );
    assert.deepEqual(provisioning?.counts, { Succeeded: 3, Failed: 0, Canceled: 0 });
    assert.equal(provisioning?.title, 'Provisioning repository');
    assert.ok(provisioning?.durationSeconds && provisioning.durationSeconds.p50 > 0);

    const { body: week } = await stats(client, '?window=7d');
    assert.equal(week.window, '7d');
    assert.equal(week.kinds.length, 2);
    const other = await stats(app().client());
    assert.equal(other.status, 200);
    assert.deepEqual(other.body.kinds, [], 'another tenant sees none of these runs');
    for (const window of ['forever', '0h', '31d', '-1h', '1.5h']) {
      assertProblem(await client.get(`/stats?window=${window}`), 400, 'InvalidArgument');
    }
  });
});
