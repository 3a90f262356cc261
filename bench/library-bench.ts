/**
 * No-op operations through the library API, no HTTP: `longrun.submit(noop, {})` N times into SQLite
 * (group-committed, synchronous=FULL), then the in-process worker (concurrency 64) runs them all.
 * Reports enqueue/s and processed/s: the same two numbers bullmq-bench.ts measures for BullMQ.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createLongrun, defineOperation } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { hangUp, tellParent, tellParentError } from './ipc.js';

const total = Number(process.env.BENCH_LIBRARY_OPS ?? 20_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const dir = mkdtempSync(join(tmpdir(), 'longrun-bench-lib-'));
const file = join(dir, 'bench.db');
const noop = defineOperation({
  kind: 'noop',
  input: z.looseObject({}),
  run: async () => ({ ok: true }),
});

try {
  // Enqueue: an API node (no worker), every submission committed durably before it resolves.
  const api = createLongrun({ store: new SqliteStore(file), operations: [noop], worker: false });
  await api.start();
  const submitStart = performance.now();
  const submits: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) submits.push(api.submit(noop, {}));
  await Promise.all(submits);
  const enqueuePerSec = total / ((performance.now() - submitStart) / 1000);
  await api.stop();

  // Process: a worker node on the same file runs the backlog; timed from start() to the last finish.
  let finished = 0;
  let done: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    done = resolve;
  });
  const worker = createLongrun({
    store: new SqliteStore(file),
    operations: [noop],
    worker: { concurrency },
    onEvent: (event) => {
      if (event.type === 'operation:finished' && ++finished === total) done();
      // After the last finish, stop() can race an in-flight claim (reported, not a bench concern).
      if (event.type === 'worker:error' && finished < total) console.error(event);
    },
  });
  const processStart = performance.now();
  // A ref'd timer: the worker's own poll timer is unref'd, and a stalled run must fail, not exit 13.
  const guard = setTimeout(() => {
    tellParent({
      type: 'error',
      message: `library bench: ${finished}/${total} finished after 30 s (the worker stalled)`,
    });
    process.exit(1);
  }, 30_000);
  await worker.start();
  await allDone;
  clearTimeout(guard);
  const processedPerSec = total / ((performance.now() - processStart) / 1000);
  await worker.stop();
  tellParent({ type: 'result', result: { total, enqueuePerSec, processedPerSec } });
} catch (error) {
  tellParentError(error);
} finally {
  rmSync(dir, { recursive: true, force: true });
  hangUp();
}
