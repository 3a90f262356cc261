import { makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { preciseNow } from './child-ipc.js';
import { drained, latenciesOf, PgChild, paced, vacuumSchema } from './children.js';
import { LATENCY_RATE, type QueueNumbers, WORKERS } from './measure-longrun.js';

const LATENCY_SECONDS = 3;
const CHUNK = 1000;

/**
 * Drains a backlog with the workers, at most `windowMs`; then submit-to-start at LATENCY_RATE. Jobs
 * left when the window closes are removed by `clear` before the latency run.
 */
async function measureQueue(
  workers: readonly PgChild[],
  db: pg.Client,
  options: {
    schema: string;
    backlog: number;
    notDone: string;
    windowMs: number;
    clear: () => Promise<unknown>;
    submit: (t: number) => Promise<unknown>;
  },
): Promise<QueueNumbers> {
  const go = preciseNow();
  for (const worker of workers) worker.send({ type: 'go' });
  const drain = await drained(db, options.notDone, options.windowMs);
  const completedPerSec = (options.backlog - drain.remaining) / ((drain.at - go) / 1000);
  if (drain.remaining > 0) await options.clear();
  await vacuumSchema(db, options.schema);
  await latenciesOf(workers);
  const steady = await paced(LATENCY_RATE, LATENCY_SECONDS, options.submit);
  await drained(db, options.notDone, 15_000);
  const latencies = await latenciesOf(workers);
  for (let i = latencies.length; i < steady.sent - steady.failed; i++) latencies.push(Number.NaN);
  return { completedPerSec, backlog: options.backlog, latencies };
}

/** graphile-worker: the same backlog added with addJobs, two processes x concurrency 64. */
export async function measureGraphile(
  url: string,
  schema: string,
  backlog: number,
): Promise<QueueNumbers> {
  const utils = await makeWorkerUtils({ connectionString: url, schema });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let workers: PgChild[] = [];
  try {
    await utils.migrate();
    for (let i = 0; i < backlog; i += CHUNK) {
      const size = Math.min(CHUNK, backlog - i);
      await utils.addJobs(
        Array.from({ length: size }, () => ({ identifier: 'noop', payload: {} })),
      );
    }
    workers = (await PgChild.start('graphile-worker.ts', WORKERS, { BENCH_PG_SCHEMA: schema }))
      .children;
    return await measureQueue(workers, db, {
      schema,
      backlog,
      notDone: `SELECT count(*)::int AS n FROM "${schema}"._private_jobs`,
      windowMs: 60_000,
      clear: () => db.query(`DELETE FROM "${schema}"._private_jobs`),
      submit: (t) => utils.addJob('noop', { t }),
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await db.end();
    await utils.release();
  }
}

export interface BossSetting {
  /** `work()` loops per process, jobs fetched per poll, seconds between polls. */
  workers: number;
  batch: number;
  pollSeconds: number;
}

/** pg-boss with `setting`: the same backlog inserted in bulk, two processes. */
export async function measurePgBoss(
  url: string,
  schema: string,
  backlog: number,
  setting: BossSetting,
  windowMs: number,
): Promise<QueueNumbers> {
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false });
  boss.on('error', () => {});
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let workers: PgChild[] = [];
  try {
    await boss.start();
    await boss.createQueue('noop');
    for (let i = 0; i < backlog; i += CHUNK) {
      const size = Math.min(CHUNK, backlog - i);
      await boss.insert(Array.from({ length: size }, () => ({ name: 'noop', data: {} })));
    }
    const env = {
      BENCH_PG_SCHEMA: schema,
      BENCH_BOSS_WORKERS: String(setting.workers),
      BENCH_BOSS_BATCH: String(setting.batch),
      BENCH_BOSS_POLL_S: String(setting.pollSeconds),
    };
    workers = (await PgChild.start('pg-boss-worker.ts', WORKERS, env)).children;
    return await measureQueue(workers, db, {
      schema,
      backlog,
      notDone: `SELECT count(*)::int AS n FROM "${schema}".job WHERE name = 'noop' AND state <> 'completed'`,
      windowMs,
      clear: () =>
        db.query(`DELETE FROM "${schema}".job WHERE name = 'noop' AND state = 'created'`),
      submit: (t) => boss.send('noop', { t }),
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await db.end();
    await boss.stop({ graceful: false, wait: true });
  }
}
