import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProblem, assertRepresentation, assertRetryAfter } from '../../helpers/assertions.js';
import type { OperationView } from '../../helpers/views.js';
import type { SuiteEnvironment } from './environment.js';

/** PROTOCOL.md section 4: `GET R/operations/{id}/result`. */
export function describeResultMonitor(env: SuiteEnvironment): void {
  describe('the result monitor', () => {
    const app = env.useApp('result-monitor');

    it('answers 202 back to itself while running, then 200 with the final representation', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const start = await api.post('/held', { gate: gate.name });
      const id = start.body.id;
      const resultUrl = start.headers.get('location')!;

      const pending = await api.get<OperationView>(resultUrl);
      assert.equal(pending.status, 202);
      assert.equal(pending.headers.get('location'), resultUrl, 'Location is the same URL');
      assert.equal(pending.headers.get('content-location'), api.operationUrl(id));
      assertRetryAfter(pending.headers);
      assert.equal(pending.body.done, false);

      gate.open();
      await api.done(id);
      const final = await api.get<OperationView>(resultUrl);
      assert.equal(final.status, 200, 'a POST with no result answers the final representation');
      assert.equal(final.headers.get('asyncresult'), '200');
      assert.equal(final.body.id, id);
      assert.equal(final.body.status, 'Succeeded');
      assertRepresentation(final.body, app().root);
    });

    it('answers 201 with the created resource and its Location; 200 with an inline result', async () => {
      const api = app().client();
      const report = await api.post('/reports', { items: 3, itemMs: 0 });
      await api.done(report.body.id);
      const created = await api.result<{ id: string; items: number }>(report.body.id);
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('asyncresult'), '201');
      assert.equal(created.headers.get('location'), `${app().root}/reports/${report.body.id}`);
      assert.equal(created.body.id, report.body.id);
      assert.equal(created.body.items, 3);

      const vm = await api.post('/vm-deployments', { image: 'debian-12', stepMs: 20 });
      await api.done(vm.body.id);
      const inline = await api.result<{ image: string; state: string }>(vm.body.id);
      assert.equal(inline.status, 200);
      assert.equal(inline.headers.get('asyncresult'), '200');
      assert.equal(inline.headers.get('location'), null);
      assert.equal(inline.body.image, 'debian-12');
      assert.equal(inline.body.state, 'running');
      const representation = await api.operation(vm.body.id);
      assert.deepEqual(representation.body.result, inline.body, 'a small result is also inline');
    });

    it('answers 204 for a finished DELETE and 201 + Location for a PUT that created', async () => {
      const api = app().client();
      const put = await api.request<OperationView>('PUT', '/things/chair', { body: {} });
      await api.done(put.body.id);
      const created = await api.result(put.body.id);
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('location'), `${app().root}/things/chair`);

      const removal = await api.delete<OperationView>('/things/chair');
      await api.done(removal.body.id);
      const removed = await api.result(removal.body.id);
      assert.equal(removed.status, 204);
      assert.equal(removed.body, '');
    });

    it('answers a failure with its HTTP status and a problem; OData clients get 200 + AsyncResult', async () => {
      const api = app().client();
      const vm = await api.post('/vm-deployments', { image: 'ubuntu', failAt: 'Creating disk' });
      await api.done(vm.body.id);

      const failed = await api.result(vm.body.id);
      const problem = assertProblem(failed, 422, 'DeploymentFailed');
      assert.match(problem.detail, /Creating disk/);
      assert.equal(problem.error.target, 'failAt');
      assert.equal(failed.headers.get('asyncresult'), '422');

      const odata = await api.result(vm.body.id, { 'odata-version': '4.01' });
      assert.equal(odata.status, 200);
      assert.equal(odata.headers.get('asyncresult'), '422');
      assert.equal((odata.body as { error: { code: string } }).error.code, 'DeploymentFailed');
    });

    it('answers 500 Internal for an unexpected exception, with its message', async () => {
      const api = app().client();
      const gate = env.gates.create();
      gate.open();
      const start = await api.post('/held', { gate: gate.name, throws: 'the disk is on fire' });
      const failed = await api.done(start.body.id);
      assert.equal(failed.status, 'Failed');
      assert.equal(failed.error?.code, 'Internal');
      assert.equal(failed.error?.message, 'the disk is on fire');
      const reply = await api.result(start.body.id);
      assertProblem(reply, 500, 'Internal');
      assert.equal(reply.headers.get('asyncresult'), '500');
    });

    it('sends JSON:API clients 303 to the created resource; nobody else gets a 303', async () => {
      const api = app().client();
      const report = await api.post('/reports', { items: 1, itemMs: 0 });
      await api.done(report.body.id);
      const location = `${app().root}/reports/${report.body.id}`;

      const jsonApi = await api.result(report.body.id, { accept: 'application/vnd.api+json' });
      assert.equal(jsonApi.status, 303);
      assert.equal(jsonApi.headers.get('location'), location);

      for (const accept of ['application/json', '*/*', 'application/problem+json']) {
        const other = await api.result(report.body.id, { accept });
        assert.equal(other.status, 201, `Accept: ${accept}`);
      }
      const odata = await api.result(report.body.id, { 'odata-maxversion': '4.01' });
      assert.notEqual(odata.status, 303, 'OData clients do not get a 303 either');
    });
  });
}
