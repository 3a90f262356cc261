import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ServeSandbox } from '../helpers/child-process.js';
import { OperationsApi } from './operations-api.js';

interface TimedStep {
  id: string;
  title: string;
  status: string;
  startTime?: string;
  endTime?: string;
  steps?: TimedStep[];
}

const flatten = (steps: TimedStep[]): TimedStep[] =>
  steps.flatMap((step) => [step, ...flatten(step.steps ?? [])]);

/**
 * Step checkpoints: a step that succeeded before a crash is not run again. The lifecycle demo is
 * SIGKILLed after its first sub-project is created; after the restart the operation completes, and
 * every step that had succeeded keeps the start and end time of its only run.
 */
describe('step checkpoints across a SIGKILL', () => {
  let sandbox: ServeSandbox;
  beforeEach(async () => {
    sandbox = await ServeSandbox.create('longrun-checkpoint-');
  });
  afterEach(async () => {
    await sandbox.cleanup();
  });

  it('skips the steps that had already succeeded and repeats only unfinished work', async () => {
    const args = ['--demo-speed', '20', '--lease-ms', '1000'];
    const first = await sandbox.serve(args);
    const api = new OperationsApi(first.url);
    const started = await api.start('/lifecycle-projects', { name: 'Checkpoint', stepMs: 2000 });
    const firstProject = 'Creating requirements project';
    const before = await api.waitFor(
      started.id,
      (operation) =>
        operation.steps.some((step) => step.title === firstProject && step.status === 'Succeeded'),
      'first sub-project created',
    );
    const doneBefore = flatten(before.steps as TimedStep[]).filter(
      (step) => step.status === 'Succeeded',
    );
    assert.ok(doneBefore.length >= 4, 'the first project and its three sub-steps had succeeded');
    await first.kill('SIGKILL');

    const second = await sandbox.serve(args);
    const after = await new OperationsApi(second.url).waitFor(
      started.id,
      (operation) => operation.done,
      'finished after the restart',
      30_000,
    );
    assert.equal(after.status, 'Succeeded');
    assert.equal(after.attempts, 2);
    const stepsAfter = flatten(after.steps as TimedStep[]);
    for (const step of doneBefore) {
      const again = stepsAfter.find((candidate) => candidate.id === step.id);
      assert.equal(again?.status, 'Succeeded', step.title);
      assert.equal(again?.startTime, step.startTime, `${step.title} did not start again`);
      assert.equal(again?.endTime, step.endTime, `${step.title} did not run again`);
    }
    assert.ok(
      stepsAfter.every((step) => step.status === 'Succeeded'),
      'every step finished after the restart',
    );
  });
});
