import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type ServeProcess, ServeSandbox } from '../helpers/child-process.js';
import { isUnderway, OperationsApi, type OperationView } from './operations-api.js';

/**
 * A killed process loses nothing it acknowledged: `longrun serve` is SIGKILLed mid-run (no shutdown
 * code runs, leases are simply left to expire), restarted on the same SQLite file, and its recovery
 * runs every operation again, or fails it with a clear error once its attempts are used up.
 */

// Demo timings run 20 times faster; a 1 s lease expires soon after a kill.
const SERVE_ARGS = ['--demo-speed', '20', '--lease-ms', '1000'];
const DEFAULT_MAX_ATTEMPTS = 3;

describe('longrun serve killed with SIGKILL mid-run', () => {
  let sandbox: ServeSandbox;
  beforeEach(async () => {
    sandbox = await ServeSandbox.create('longrun-crash-');
  });
  afterEach(async () => {
    await sandbox.cleanup();
  });

  async function serve(): Promise<{ serve: ServeProcess; api: OperationsApi }> {
    const serve = await sandbox.serve(SERVE_ARGS);
    return { serve, api: new OperationsApi(serve.url) };
  }

  async function killHard(serve: ServeProcess): Promise<void> {
    const exit = await serve.kill('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL', `expected death by SIGKILL:\n${serve.output}`);
  }

  it('runs every acknowledged operation again after a restart, to Succeeded', async () => {
    const first = await serve();
    const acknowledged: OperationView[] = [];
    // Five reports of about 4 s each (40 items of 100 ms) and a composite lifecycle project (13
    // sub-steps of 300 ms): all still running when the kill comes.
    for (let n = 0; n < 5; n++) {
      acknowledged.push(await first.api.start('/reports', { items: 40, itemMs: 2000 }));
    }
    acknowledged.push(
      await first.api.start('/lifecycle-projects', { name: 'Crash test', stepMs: 6000 }),
    );
    for (const operation of acknowledged) {
      const running = await first.api.waitFor(operation.id, isUnderway, 'under way');
      assert.equal(running.attempts, 1);
    }

    await killHard(first.serve);
    const second = await serve();

    for (const { id, kind } of acknowledged) {
      const done = await second.api.waitFor(id, (op) => op.done, 'finished', 20_000);
      assert.equal(done.status, 'Succeeded', `${kind} ${id}: ${JSON.stringify(done.error)}`);
      // The killed run used attempt 1; the run after the restart was attempt 2.
      assert.equal(done.attempts, 2, `${kind} ${id}`);
      assert.ok(done.resourceLocation, `${kind} ${id} names the resource it created`);
      const resource = await fetch(done.resourceLocation);
      assert.equal(resource.status, 200, `GET ${done.resourceLocation}`);
      await resource.body?.cancel();
    }
    const listed = await second.api.list();
    assert.deepEqual(
      listed.map((op) => op.id).sort(),
      acknowledged.map((op) => op.id).sort(),
      'every acknowledged operation is present, and nothing else',
    );
    assert.deepEqual(
      listed.filter((op) => op.status !== 'Succeeded'),
      [],
      'none left Running (or anything but Succeeded)',
    );
    // Leases expire at slightly different times, so recovery may come in more than one batch.
    const requeued = [
      ...second.serve.output.matchAll(/recovered interrupted operations: (\d+) to run again/g),
    ];
    assert.equal(
      requeued.reduce((sum, match) => sum + Number(match[1]), 0),
      acknowledged.length,
      second.serve.output,
    );
  });

  it(`fails an operation killed on each of its ${DEFAULT_MAX_ATTEMPTS} attempts with AttemptsExhausted`, async () => {
    let current = await serve();
    // About 100 s of work: it never finishes on its own during this test.
    const { id } = await current.api.start('/reports', { items: 1000, itemMs: 2000 });

    for (let attempt = 1; attempt <= DEFAULT_MAX_ATTEMPTS; attempt++) {
      const running = await current.api.waitFor(
        id,
        (op) => op.status === 'Running' && op.attempts === attempt,
        `running attempt ${attempt}`,
      );
      assert.equal(running.done, false);
      await killHard(current.serve);
      current = await serve();
    }

    const failed = await current.api.waitFor(id, (op) => op.done, 'finished');
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.attempts, DEFAULT_MAX_ATTEMPTS, 'no fourth run was started');
    assert.equal(failed.error?.code, 'AttemptsExhausted');
    assert.match(failed.error?.message ?? '', /interrupted 3 time\(s\)/);
    assert.match(failed.error?.message ?? '', /used all 3 attempts; it will not run again/);

    // The result monitor answers the failure as a problem with the same error.
    const result = await fetch(`${current.serve.url}/operations/${id}/result`);
    assert.equal(result.status, 500);
    assert.equal(result.headers.get('x-ms-error-code'), 'AttemptsExhausted');
    const problem = (await result.json()) as { error: { code: string; message: string } };
    assert.deepEqual(problem.error.code, failed.error?.code);
    assert.equal(problem.error.message, failed.error?.message);
    assert.match(current.serve.output, /1 failed \(attempts used up\)/);
  });
});
