/**
 * The operation the SSE latency benchmark runs (in-process, or in a `longrun worker --operations
 * bench/sse/completing-operation.ts` child): it waits `holdMs`, so a stream is open before it ends,
 * then returns the instant it completed, on a clock every process on the machine shares.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineOperation } from '../../src/index.js';

/** Epoch ms with sub-millisecond precision, comparable between processes on one machine. */
export const preciseNow = () => performance.timeOrigin + performance.now();

export const completingOperation = defineOperation({
  kind: 'bench.sse.complete',
  input: z.object({ holdMs: z.number().int().min(0).max(10_000).default(30) }),
  maxAttempts: 1,
  async run(input) {
    await sleep(input.holdMs);
    return { completedAt: preciseNow() };
  },
});
