import { createRequire } from 'node:module';
import { BenchChild } from './ipc.js';
import { LOAD } from './load.js';
import { redisAnswers } from './redis-check.js';

export type Numbers = Record<string, number>;
type Log = (line: string) => void;

const redisHost = process.env.BENCH_REDIS_HOST ?? '127.0.0.1';
const redisPort = Number(process.env.BENCH_REDIS_PORT ?? 6379);
export const redisAddress = `${redisHost}:${redisPort}`;

async function runOnce(entry: string): Promise<Numbers> {
  const child = BenchChild.fork(entry);
  try {
    return (await child.next('result')).result;
  } finally {
    await child.stop();
  }
}

/** Why BullMQ cannot run here (no Redis answering, no Redis client package), or undefined. */
async function bullmqMissing(): Promise<string | undefined> {
  if (!(await redisAnswers(redisHost, redisPort))) return `no Redis answers on ${redisAddress}`;
  try {
    // BullMQ 6 loads its Redis client (ioredis) as an optional peer dependency.
    createRequire(createRequire(import.meta.url).resolve('bullmq')).resolve('ioredis');
  } catch {
    return 'package ioredis not installed (BullMQ 6 needs it as a peer)';
  }
  return undefined;
}

/** Keeps each number's best (highest) value over rounds: interference from elsewhere only slows. */
function bestOf(a: Numbers | undefined, b: Numbers): Numbers {
  if (!a) return b;
  return Object.fromEntries(
    Object.entries(b).map(([key, value]) => [key, Math.max(value, a[key] ?? 0)]),
  );
}

/** One side of the comparison: its best numbers so far, or why it stopped being measured. */
class Side {
  best: Numbers | undefined;
  failed: string | undefined;
  readonly #entry: string;
  readonly #label: string;

  constructor(entry: string, label: string, skipped?: string) {
    this.#entry = entry;
    this.#label = label;
    this.failed = skipped;
  }

  async round(round: number, log: Log): Promise<void> {
    if (this.failed) return;
    try {
      this.best = bestOf(this.best, await runOnce(this.#entry));
      log(
        `round ${round}: ${this.#label} ${this.best.processedPerSec?.toFixed(0)} no-ops/s (best so far)`,
      );
    } catch (error) {
      this.failed = `${this.#label} failed: ${error instanceof Error ? error.message : String(error)}`;
      log(this.failed);
    }
  }

  get result(): Numbers | string {
    return this.failed ?? this.best ?? 'not measured';
  }
}

/**
 * No-op throughput through longrun's library API and on BullMQ, alternating round by round. A side
 * that cannot run here (or failed) is a string saying why.
 */
export async function measureLibrary(
  log: Log,
): Promise<{ longrun: Numbers | string; bullmq: Numbers | string }> {
  const missing = await bullmqMissing();
  if (missing) log(`BullMQ rows skipped: ${missing}`);
  const longrun = new Side('./library-bench.ts', 'longrun library');
  const bullmq = new Side('./bullmq-bench.ts', `BullMQ on ${redisAddress}`, missing);
  for (let round = 1; round <= LOAD.rounds; round++) {
    await longrun.round(round, log);
    await bullmq.round(round, log);
  }
  return { longrun: longrun.result, bullmq: bullmq.result };
}
