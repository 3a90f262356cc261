/**
 * pg-boss running the same no-op job. pg-boss 10 has no concurrency setting: `work()` starts one
 * polling loop that fetches up to `batchSize` jobs, runs the handler on them, completes them and
 * waits out the polling interval; more loops run more at once. BENCH_BOSS_WORKERS loops per process,
 * each with BENCH_BOSS_BATCH and BENCH_BOSS_POLL_S (pg-boss defaults: batch 1, 2 s, at least 0.5 s).
 */
import PgBoss from 'pg-boss';
import { BodyRecorder, childEnv, serveParent, tellParent } from './child-ipc.js';

const BOSS_QUEUE = 'noop';
const recorder = new BodyRecorder();
const workers = Number(process.env.BENCH_BOSS_WORKERS ?? 1);
const batchSize = Number(process.env.BENCH_BOSS_BATCH ?? 1);
const poll = process.env.BENCH_BOSS_POLL_S;
const boss = new PgBoss({ connectionString: childEnv.url(), schema: childEnv.schema() });
boss.on('error', (error) => console.error(error));
await boss.start();
serveParent(recorder, {
  go: async () => {
    const options = { batchSize, ...(poll ? { pollingIntervalSeconds: Number(poll) } : {}) };
    for (let i = 0; i < workers; i++) {
      await boss.work<{ t?: number }>(BOSS_QUEUE, options, async (jobs) => {
        for (const job of jobs) recorder.started(job.data);
      });
    }
  },
  stop: () => boss.stop({ graceful: false, wait: true }),
});
tellParent({ type: 'ready' });
