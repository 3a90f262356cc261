/**
 * The same no-op workload on BullMQ against local Redis: `Queue.addBulk` of N jobs, then a Worker
 * (concurrency 64) processes them. Reports enqueue/s and processed/s, like library-bench.ts.
 */
import { Queue, Worker } from 'bullmq';
import { hangUp, tellParent, tellParentError } from './ipc.js';

const total = Number(process.env.BENCH_LIBRARY_OPS ?? 20_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const connection = {
  host: process.env.BENCH_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_REDIS_PORT ?? 6379),
};
const name = `longrun-bench-${process.pid}-${Date.now()}`;
const queue = new Queue(name, { connection });

try {
  const addStart = performance.now();
  for (let i = 0; i < total; i += 1000) {
    const size = Math.min(1000, total - i);
    await queue.addBulk(Array.from({ length: size }, () => ({ name: 'noop', data: {} })));
  }
  const enqueuePerSec = total / ((performance.now() - addStart) / 1000);

  let completed = 0;
  let done: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    done = resolve;
  });
  const processStart = performance.now();
  const worker = new Worker(name, async () => ({ ok: true }), { connection, concurrency });
  worker.on('completed', () => {
    if (++completed === total) done();
  });
  worker.on('failed', (_job, error) => console.error(error));
  await allDone;
  const processedPerSec = total / ((performance.now() - processStart) / 1000);
  await worker.close();
  tellParent({ type: 'result', result: { total, enqueuePerSec, processedPerSec } });
} catch (error) {
  tellParentError(error);
} finally {
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  hangUp();
}
