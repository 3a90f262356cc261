import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiClient } from '../../helpers/api-client.js';
import { assertRepresentation, assertRetryAfter, findStep } from '../../helpers/assertions.js';
import type { OperationView, StepView } from '../../helpers/views.js';
import type { SuiteEnvironment } from './environment.js';

const LIFECYCLE_STEPS = [
  'Creating requirements project',
  'Creating development project',
  'Creating test project',
  'Creating project linkages',
  'Creating lifecycle project',
];

/** Reads the operation as often as it can until it is done; every answer must be 200. */
async function pollToTheEnd(api: ApiClient, id: string, root: string): Promise<OperationView[]> {
  const seen: OperationView[] = [];
  const deadline = Date.now() + 8000;
  for (;;) {
    const reply = await api.operation(id);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('cache-control'), 'private, no-cache');
    if (reply.body.done)
      assert.equal(reply.headers.get('retry-after'), null, 'no Retry-After once done');
    else assertRetryAfter(reply.headers);
    assertRepresentation(reply.body, root);
    seen.push(reply.body);
    if (reply.body.done) return seen;
    assert.ok(Date.now() < deadline, `operation ${id} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
}

/** A step's percent as the parent's roll-up counts it: unknown (running, no news) is 0. */
const percentOf = (step: StepView) => step.percentComplete ?? 0;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** PROTOCOL.md section 3: the operation representation and the headers of GET. */
export function describeRepresentation(env: SuiteEnvironment): void {
  describe('the operation representation', () => {
    const app = env.useApp('representation');

    it('reports progress n of total, never decreasing, and a resource when it succeeds', async () => {
      const api = app().client();
      const start = await api.post('/reports', { items: 20, itemMs: 400 });
      const seen = await pollToTheEnd(api, start.body.id, app().root);

      const running = seen.filter(
        (operation) => operation.status === 'Running' && operation.progress,
      );
      assert.ok(running.length >= 2, `saw ${running.length} running states with progress`);
      let last = 0;
      for (const operation of seen) {
        assert.equal(operation.kind, 'report.generate');
        if (operation.percentComplete === undefined) {
          assert.equal(last, 0, 'percentComplete, once known, stays known');
          continue;
        }
        assert.ok(operation.percentComplete >= last, `${operation.percentComplete} >= ${last}`);
        last = operation.percentComplete;
        if (operation.progress) {
          assert.equal(operation.progress.total, 20);
          assert.equal(operation.progress.unit, 'items');
          assert.ok(operation.progress.completed <= 20);
        }
      }
      const final = seen.at(-1)!;
      assert.equal(final.status, 'Succeeded');
      assert.equal(final.percentComplete, 100);
      assert.deepEqual(final.progress, { completed: 20, total: 20, unit: 'items' });
      assert.equal(final.title, 'Report over 20 items');
      assert.equal(final.message, 'Processed item 20 of 20');
      assert.equal(final.resourceLocation, `${app().root}/reports/${final.id}`);
      assert.ok(Date.parse(final.expirationDateTime!) > Date.parse(final.endTime!));
      const report = await api.get<{ items: number }>(final.resourceLocation!);
      assert.equal(report.status, 200);
      assert.equal(report.body.items, 20);
    });

    it('shows the step tree of a lifecycle project, parents rolled up from their children', async () => {
      const api = app().client();
      const start = await api.post('/lifecycle-projects', { name: 'Apollo', stepMs: 1000 });
      assert.equal(start.status, 202);
      assert.deepEqual(
        start.body.steps.map((step) => step.title),
        LIFECYCLE_STEPS,
        'the whole plan is shown before it runs',
      );
      for (const step of start.body.steps) {
        assert.equal(step.status, 'NotStarted');
        assert.ok(step.steps && step.steps.length > 0, `${step.title} has sub-steps`);
      }
      assert.deepEqual(
        findStep(start.body.steps, 'Creating development project')?.steps?.map((s) => s.title),
        ['Provisioning repository', 'Applying template', 'Granting access'],
      );

      const midway = await api.until(
        start.body.id,
        (operation) =>
          operation.steps.some(
            (step) =>
              step.status === 'Running' &&
              step.steps?.some((child) => child.status === 'Succeeded') === true,
          ),
        'a running parent with a finished child',
      );
      const parent = midway.steps.find((step) => step.status === 'Running')!;
      const expected = mean(parent.steps!.map(percentOf));
      assert.ok(expected > 0 && expected < 100);
      assert.ok(Math.abs(parent.percentComplete! - expected) < 0.1, `${parent.title} rolls up`);
      assert.ok(
        Math.abs(midway.percentComplete! - mean(midway.steps.map(percentOf))) < 0.1,
        'the operation rolls up from its steps',
      );

      const final = await api.done(start.body.id);
      assertRepresentation(final, app().root);
      assert.equal(final.status, 'Succeeded');
      for (const step of final.steps) {
        assert.equal(step.status, 'Succeeded', step.title);
        assert.equal(step.percentComplete, 100);
        assert.ok(step.startTime && step.endTime, `${step.title} has start and end times`);
        for (const child of step.steps ?? []) assert.equal(child.status, 'Succeeded');
      }
      assert.match(final.resourceLocation ?? '', /\/v1\/lifecycle-projects\/apollo-[a-z0-9_-]+$/);
      const project = await api.get<{ name: string }>(final.resourceLocation!);
      assert.equal(project.status, 200);
      assert.equal(project.body.name, 'Apollo');
    });

    it('answers 200 for a Failed operation, with the error and the undone steps', async () => {
      const api = app().client();
      const start = await api.post('/vm-deployments', { image: 'ubuntu-24.04', failAt: 'Booting' });
      await api.done(start.body.id);
      const reply = await api.operation(start.body.id);
      assert.equal(reply.status, 200, 'reading a failed operation succeeds');
      assert.equal(reply.headers.get('retry-after'), null);
      const failed = reply.body;
      assertRepresentation(failed, app().root);
      assert.equal(failed.status, 'Failed');
      assert.equal(failed.error?.code, 'DeploymentFailed');
      assert.match(failed.error?.message ?? '', /Booting/);
      assert.equal(failed.error?.status, 'FAILED_PRECONDITION');
      assert.equal(failed.result, undefined);
      const status = (title: string) => findStep(failed.steps, title)?.status;
      assert.equal(status('Reserving capacity'), 'Succeeded');
      assert.equal(status('Creating disk'), 'Succeeded');
      assert.equal(status('Booting'), 'Failed');
      assert.equal(findStep(failed.steps, 'Booting')?.error?.code, 'DeploymentFailed');
      assert.notEqual(status('Configuring network'), 'Succeeded');
      assert.deepEqual(
        failed.steps.filter((step) => step.title.startsWith('Undoing: ')).map((s) => s.title),
        ['Undoing: Creating disk', 'Undoing: Reserving capacity'],
        'the work done is undone in reverse order',
      );
    });

    it('answers 404 problem for an id that does not exist', async () => {
      const reply = await app().client().operation('AAAAAAAAAAAAAAAAAAAAAAAAAA');
      assert.equal(reply.status, 404);
      assert.equal(reply.headers.get('x-ms-error-code'), 'NotFound');
    });
  });
}
