import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { createLongrun, defineOperation } from '../../src/index.js';
import { RunAbort } from '../../src/operations/run-abort.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

/**
 * `ctx.signal` is made when the run first asks for it (run-abort.ts). Whenever that is, it must say
 * what happened before: a run that looks only after its cancel sees an aborted signal.
 */
describe('ctx.signal', () => {
  it('first read after a cancel is already aborted, with the cancel as its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-signal-'));
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let seen: { aborted: boolean; reason: unknown } | undefined;
    const lateReader = defineOperation({
      kind: 'late-reader',
      input: z.looseObject({}),
      run: async (_input, ctx) => {
        started();
        await gate;
        seen = { aborted: ctx.signal.aborted, reason: ctx.signal.reason };
        ctx.throwIfAborted();
        return { finished: true };
      },
    });
    const longrun = createLongrun({
      store: new SqliteStore(join(dir, 'longrun.db')),
      operations: [lateReader],
      worker: { concurrency: 1 },
    });
    try {
      await longrun.start();
      const { id } = await longrun.submit(lateReader, {});
      await running;
      const canceled = await longrun.handler(
        new Request(`http://127.0.0.1/operations/${id}:cancel`, { method: 'POST' }),
      );
      assert.equal(((await canceled.json()) as { status: string }).status, 'Canceling');
      release();
      const deadline = Date.now() + 5000;
      let status: string | undefined;
      while (Date.now() < deadline) {
        const found = await longrun.store.get('anonymous', id);
        status = found.outcome === 'found' ? found.operation.status : found.outcome;
        if (status === 'Canceled' || status === 'Succeeded') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(status, 'Canceled');
      assert.ok(seen, 'the run never read its signal');
      assert.equal(seen.aborted, true);
      assert.match((seen.reason as Error).message, /canceled/);
    } finally {
      release();
      await longrun.stop(1000);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the first cause: a shutdown after a cancel does not rename it, read before or after', () => {
    const readEarly = new RunAbort();
    const early = readEarly.signal;
    let fired = 0;
    early.addEventListener('abort', () => fired++);
    readEarly.abort('cancel');
    readEarly.abort('shutdown');
    assert.equal(fired, 1);
    assert.equal(readEarly.reason?.abortCause, 'cancel');
    assert.equal(early.reason, readEarly.reason);

    const readLate = new RunAbort();
    assert.equal(readLate.aborted, false);
    readLate.abort('lease-lost');
    readLate.abort('cancel');
    assert.equal(readLate.signal.aborted, true);
    assert.equal(readLate.signal.reason.abortCause, 'lease-lost');
  });
});
