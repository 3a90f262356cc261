/**
 * graphile-worker running the same no-op task: concurrency 64 per process (its default is 1), every
 * other setting at its default (LISTEN/NOTIFY wake-ups, 2 s fallback poll, no local queue) but the
 * pool: BENCH_GRAPHILE_POOL connections (default 10, its default and longrun's). Connected and
 * migrated before `ready`; starts taking jobs on `go`.
 */
import { run, runMigrations } from 'graphile-worker';
import pg from 'pg';
import { BodyRecorder, childEnv, serveParent, tellParent } from './child-ipc.js';

const recorder = new BodyRecorder();
const options = {
  schema: childEnv.schema(),
  concurrency: childEnv.concurrency(),
  noHandleSignals: true,
};
const pgPool = new pg.Pool({
  connectionString: childEnv.url(),
  max: Number(process.env.BENCH_GRAPHILE_POOL ?? 10),
});
pgPool.on('error', () => {});
pgPool.on('connect', (client) => client.on('error', () => {}));
await runMigrations({ ...options, pgPool });
let runner: Awaited<ReturnType<typeof run>> | undefined;
serveParent(recorder, {
  go: async () => {
    runner = await run({
      ...options,
      pgPool,
      taskList: {
        noop: async (payload) => {
          recorder.started(payload);
        },
      },
    });
  },
  stop: async () => {
    await runner?.stop();
    await pgPool.end();
  },
});
tellParent({ type: 'ready' });
