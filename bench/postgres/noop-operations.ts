import { z } from 'zod';
import { defineOperation } from '../../src/index.js';
import type { BodyRecorder } from './child-ipc.js';
import { preciseNow } from './child-ipc.js';

/**
 * The bench's operations. `noop` returns at once (recording its submit-to-start latency when its
 * input carries `t`); `hold` runs until canceled and records when its signal aborted.
 */
export function benchOperations(recorder: BodyRecorder) {
  const noop = defineOperation({
    kind: 'noop',
    input: z.looseObject({}),
    run: async (input) => {
      recorder.started(input);
      return { ok: true };
    },
  });
  const hold = defineOperation({
    kind: 'hold',
    input: z.looseObject({}),
    maxAttempts: 1,
    run: (_input, ctx) =>
      new Promise<never>((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          recorder.aborts.push(preciseNow());
          reject(ctx.signal.reason);
        });
      }),
  });
  return { noop, hold };
}
