import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProblem, assertRepresentation, findStep } from '../../helpers/assertions.js';
import type { OperationView } from '../../helpers/views.js';
import type { SuiteEnvironment } from './environment.js';

/** PROTOCOL.md section 5: `:cancel` and `DELETE`. */
export function describeCancelAndDelete(env: SuiteEnvironment): void {
  describe('cancel', () => {
    const app = env.useApp('cancel');
    // No worker: what it accepts stays NotStarted.
    const queued = env.useApp('cancel-queued', { worker: false });

    it('cancels a NotStarted operation at once, and again idempotently', async () => {
      const api = queued().client();
      const start = await api.post('/reports', { items: 5 });
      assert.equal(start.body.status, 'NotStarted');
      const canceled = await api.cancel(start.body.id);
      assert.equal(canceled.status, 200);
      assert.equal(canceled.body.status, 'Canceled');
      assert.equal(canceled.body.done, true);
      assert.equal(canceled.body.error?.code, 'Canceled');
      assert.equal(canceled.body.error?.status, 'CANCELLED');
      assertRepresentation(canceled.body, queued().root);

      const again = await api.cancel(start.body.id);
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'Canceled');

      const read = await api.operation(start.body.id);
      assert.equal(read.status, 200, 'reading a canceled operation succeeds');
      assert.equal(read.body.status, 'Canceled');
      assertProblem(await api.result(start.body.id), 409, 'Canceled');
    });

    it('lets OData clients cancel with DELETE on the result monitor', async () => {
      const api = queued().client({ 'odata-version': '4.01' });
      const start = await api.post('/reports', { items: 5 });
      const canceled = await api.delete<OperationView>(`${api.operationUrl(start.body.id)}/result`);
      assert.equal(canceled.status, 200);
      assert.equal(canceled.body.status, 'Canceled');
    });

    it('moves a running operation to Canceling, aborts its signal, then ends it Canceled', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const start = await api.post('/held', { gate: gate.name });
      await gate.started;
      const canceling = await api.cancel(start.body.id);
      assert.equal(canceling.status, 200);
      assert.ok(['Canceling', 'Canceled'].includes(canceling.body.status), canceling.body.status);
      assert.equal(canceling.body.cancelRequested, true);
      await gate.aborted;
      assert.equal(gate.signalAborted, true, 'the running code saw its signal abort');

      const canceled = await api.done(start.body.id);
      assert.equal(canceled.status, 'Canceled');
      assert.equal(canceled.error?.code, 'Canceled');
      assertRepresentation(canceled, app().root);
      const again = await api.cancel(start.body.id);
      assert.equal(again.status, 200, 'cancel is idempotent');
      assert.equal(again.body.status, 'Canceled');
      assertProblem(await api.result(start.body.id), 409, 'Canceled');
    });

    it('refuses to cancel an operation that already Succeeded or Failed: 409', async () => {
      const api = app().client();
      const report = await api.post('/reports', { items: 1, itemMs: 0 });
      await api.done(report.body.id);
      assertProblem(await api.cancel(report.body.id), 409, 'Conflict');
      assert.equal((await api.operation(report.body.id)).body.status, 'Succeeded');

      const vm = await api.post('/vm-deployments', { image: 'x', failAt: 'Reserving capacity' });
      await api.done(vm.body.id);
      assertProblem(await api.cancel(vm.body.id), 409, 'Conflict');
    });

    it('undoes the finished steps of a VM deployment canceled mid-run', async () => {
      const api = app().client();
      const start = await api.post('/vm-deployments', { image: 'ubuntu', stepMs: 4000 });
      await api.until(
        start.body.id,
        (operation) => findStep(operation.steps, 'Reserving capacity')?.status === 'Succeeded',
        'the first step done',
      );
      const canceling = await api.cancel(start.body.id);
      assert.equal(canceling.status, 200);
      const canceled = await api.done(start.body.id);
      assert.equal(canceled.status, 'Canceled');
      const status = (title: string) => findStep(canceled.steps, title)?.status;
      assert.equal(status('Reserving capacity'), 'Succeeded');
      assert.equal(status('Creating disk'), 'Canceled');
      assert.equal(status('Booting'), 'NotStarted');
      assert.equal(status('Undoing: Reserving capacity'), 'Succeeded');
      assert.equal(status('Undoing: Creating disk'), undefined, 'only finished steps are undone');
    });

    it('answers 404 for an unknown id', async () => {
      assertProblem(await app().client().cancel('AAAAAAAAAAAAAAAAAAAAAAAAAA'), 404, 'NotFound');
    });
  });

  describe('delete', () => {
    const app = env.useApp('delete');

    it('refuses to delete a running operation: 409', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const start = await api.post('/held', { gate: gate.name });
      assertProblem(await api.delete(api.operationUrl(start.body.id)), 409, 'Conflict');
      assert.equal((await api.operation(start.body.id)).status, 200, 'still there');
      gate.open();
      await api.done(start.body.id);
    });

    it('forgets a finished operation: 200 {}, then 404', async () => {
      const api = app().client();
      const start = await api.post('/reports', { items: 1, itemMs: 0 });
      await api.done(start.body.id);
      const deleted = await api.delete(api.operationUrl(start.body.id));
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, {});
      assertProblem(await api.operation(start.body.id), 404, 'NotFound');
      assertProblem(await api.result(start.body.id), 404, 'NotFound');
      assertProblem(await api.delete(api.operationUrl(start.body.id)), 404, 'NotFound');
      assert.equal((await api.listAll()).length, 0);
    });
  });
}
