import pg from 'pg';
import { createLongrun } from '../../src/index.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { drive, jsonPost } from '../load.js';
import { BodyRecorder, preciseNow } from './child-ipc.js';
import { drained, latenciesOf, PgChild, paced, vacuumSchema } from './children.js';
import { benchOperations } from './noop-operations.js';

/** What the section measures of each system; longrun also reports POST -> 202 and cancel. */
export interface QueueNumbers {
  /** No-op jobs completed per second, draining a backlog with 2 worker processes. */
  completedPerSec: number;
  backlog: number;
  /** Submit-to-start latencies (ms) at a steady submission rate; NaN for a job that never started. */
  latencies: number[];
}

export interface LongrunNumbers extends QueueNumbers {
  postRps: number;
  postErrors: string;
  /** The same latency, submitted with `longrun.submit()` (no HTTP), as graphile's `addJob` is. */
  libraryLatencies: number[];
  /** From `:cancel` sent to node A to ctx.signal aborting on a worker, ms, one per round. */
  cancelMs: number[];
}

export const WORKERS = 2;
export const LATENCY_RATE = 200;
const LATENCY_SECONDS = 3;
const CANCEL_ROUNDS = 5;

/**
 * longrun on PostgreSQL as it scales out: two API nodes and two worker processes (concurrency 64),
 * all on `schema`. First POST -> 202 at full load on both nodes at once (workers idle, so the
 * operations pile up), then the workers start and drain that backlog; then a steady POST rate for
 * submit-to-start latency; then cancels sent to node A for operations running on a worker.
 */
export async function measureLongrun(
  url: string,
  schema: string,
  log: (line: string) => void,
): Promise<LongrunNumbers> {
  const env = { DATABASE_URL: url, BENCH_PG_SCHEMA: schema };
  const api = await PgChild.start('longrun-api.ts', 2, env);
  const workers = await PgChild.start('longrun-worker.ts', WORKERS, env);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const notDone = `SELECT count(*)::int AS n FROM "${schema}".operations WHERE queue_state <> 'done'`;
  try {
    const [a, b] = api.urls as [string, string];
    log('longrun: POST -> 202 on 2 API nodes at once (25 connections each), workers idle');
    const posts = await Promise.all(
      [a, b].map((node) => drive({ ...jsonPost(`${node}/noop`), connections: 25 }, 202)),
    );
    const postRps = posts.reduce((sum, result) => sum + result.rps, 0);
    const postErrors = posts
      .map((result) => `${result.statuses} ${result.errors} errors`)
      .join('; ');

    const [{ n: backlog }] = (await db.query<{ n: number }>(notDone)).rows as [{ n: number }];
    log(`longrun: ${backlog} queued; starting ${WORKERS} workers x 64`);
    const go = preciseNow();
    for (const worker of workers.children) worker.send({ type: 'go' });
    const drain = await drained(db, notDone, 120_000);
    const completedPerSec = (backlog - drain.remaining) / ((drain.at - go) / 1000);

    log(`longrun: submit-to-start at ${LATENCY_RATE}/s for ${LATENCY_SECONDS} s`);
    await vacuumSchema(db, schema);
    await latenciesOf(workers.children);
    let turn = 0;
    const steady = await paced(LATENCY_RATE, LATENCY_SECONDS, (t) =>
      post(`${turn++ % 2 === 0 ? a : b}/noop`, { t }),
    );
    await drained(db, notDone, 30_000);
    const latencies = await latenciesOf(workers.children);
    for (let i = latencies.length; i < steady.sent - steady.failed; i++) latencies.push(Number.NaN);

    log(`longrun: the same with longrun.submit() from this process (no HTTP)`);
    const library = createLongrun({
      store: new PostgresStore({ connectionString: url, schema }),
      worker: false,
      migrate: false,
    });
    const { noop } = benchOperations(new BodyRecorder());
    await library.start();
    await paced(LATENCY_RATE, LATENCY_SECONDS, (t) => library.submit(noop, { t }));
    await drained(db, notDone, 30_000);
    await library.stop();
    const libraryLatencies = await latenciesOf(workers.children);

    log(`longrun: ${CANCEL_ROUNDS} cancels sent to node A, each operation running on a worker`);
    const cancelMs: number[] = [];
    for (let round = 0; round < CANCEL_ROUNDS; round++) {
      cancelMs.push(await cancelAcross(a, b, workers.children));
    }
    return {
      ...{ postRps, postErrors, backlog, completedPerSec },
      ...{ latencies, libraryLatencies, cancelMs },
    };
  } finally {
    await db.end();
    await Promise.all([...api.children, ...workers.children].map((child) => child.stop()));
  }
}

async function post(url: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`POST ${url} answered ${response.status}`);
  return (await response.json()) as { id: string };
}

/** Starts a `hold` operation through node B, cancels it through node A, times the abort. */
async function cancelAcross(a: string, b: string, workers: readonly PgChild[]): Promise<number> {
  const { id } = await post(`${b}/hold`, {});
  for (;;) {
    const view = (await (await fetch(`${a}/operations/${id}`)).json()) as { status: string };
    if (view.status === 'Running') break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Let the body attach to its signal (claimed means Running, a moment before the body starts).
  await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all(workers.map((worker) => worker.stats()));
  const sent = preciseNow();
  const answer = await fetch(`${a}/operations/${id}:cancel`, { method: 'POST' });
  await answer.arrayBuffer();
  for (;;) {
    const aborts = (await Promise.all(workers.map((worker) => worker.stats()))).flatMap(
      (stats) => stats.aborts,
    );
    if (aborts.length > 0) return Math.min(...aborts) - sent;
    if (preciseNow() - sent > 10_000) throw new Error(`cancel of ${id} never reached its worker`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
