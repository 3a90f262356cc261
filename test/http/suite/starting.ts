import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import {
  assertAbsoluteUrl,
  assertProblem,
  assertRepresentation,
  assertRetryAfter,
} from '../../helpers/assertions.js';
import type { OperationView } from '../../helpers/views.js';
import { type SuiteEnvironment, TENANT_HEADER } from './environment.js';

/** PROTOCOL.md section 2: starting an operation. */
export function describeStarting(env: SuiteEnvironment): void {
  describe('starting an operation', () => {
    const app = env.useApp('starting');

    it('answers 202 with Operation-Location, Location, Content-Location, Retry-After and ETag', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const reply = await api.post('/held', { gate: gate.name });
      assert.equal(reply.status, 202);
      const operation = reply.body;
      const self = `${app().root}/operations/${operation.id}`;
      assertAbsoluteUrl(reply.headers.get('operation-location'), 'Operation-Location');
      assert.equal(reply.headers.get('operation-location'), self);
      assert.equal(reply.headers.get('location'), `${self}/result`);
      assert.equal(reply.headers.get('content-location'), self);
      assertRetryAfter(reply.headers);
      assert.match(reply.headers.get('etag') ?? '', /^"[^"]+"$/, 'a strong ETag');
      assert.ok(reply.headers.get('content-type')?.startsWith('application/json'));
      assert.ok(['NotStarted', 'Running'].includes(operation.status));
      assert.equal(operation.kind, 'test.held');
      assertRepresentation(operation, app().root);
      gate.open();
      await api.done(operation.id);
    });

    it('commits the operation before answering: it is readable at once, also from another connection', async () => {
      const tenant = 'durable-tenant';
      const api = app().client({ [TENANT_HEADER]: tenant });
      const reply = await api.post('/reports', { items: 1, itemMs: 0 });
      assert.equal(reply.status, 202);
      const again = await api.get(reply.headers.get('operation-location')!);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, reply.body.id);

      const other = new SqliteStore(app().dbPath);
      try {
        await other.migrate();
        const lookup = await other.get(tenant, reply.body.id);
        assert.equal(lookup.outcome, 'found');
      } finally {
        await other.close();
      }
    });

    it('honours Prefer: respond-async with 202 and Preference-Applied', async () => {
      const api = app().client();
      const reply = await api.post(
        '/reports',
        { items: 1, itemMs: 0 },
        { prefer: 'respond-async' },
      );
      assert.equal(reply.status, 202);
      assert.equal(reply.headers.get('preference-applied'), 'respond-async');
      assert.ok(reply.headers.get('operation-location'));
    });

    it('answers Prefer: wait=5 on a fast operation with its final answer', async () => {
      const api = app().client();
      const reply = await api.post<{ id: string; items: number }>(
        '/reports',
        { items: 2, itemMs: 20 },
        { prefer: 'wait=5' },
      );
      assert.equal(reply.status, 201, 'the created report, not 202');
      const id = reply.body.id;
      const self = `${app().root}/operations/${id}`;
      assert.equal(reply.body.items, 2);
      assert.equal(reply.headers.get('location'), `${app().root}/reports/${id}`);
      assert.equal(reply.headers.get('preference-applied'), 'wait=5');
      assert.equal(reply.headers.get('content-location'), `${self}/result`);
      assert.ok(reply.headers.get('link')?.includes(`<${self}>`), 'a Link to the operation');
      assert.equal(reply.headers.get('asyncresult'), '201');
      assert.ok(reply.elapsedMs < 4000, `answered in ${reply.elapsedMs} ms`);

      const report = await api.get<{ id: string }>(reply.headers.get('location')!);
      assert.equal(report.status, 200);
      assert.equal(report.body.id, id);
    });

    it('answers Prefer: wait=5 on an operation that fails fast as its result monitor would', async () => {
      const api = app().client();
      const reply = await api.post(
        '/vm-deployments',
        { image: 'ubuntu', failAt: 'Reserving capacity', stepMs: 20 },
        { prefer: 'wait=5' },
      );
      assertProblem(reply, 422, 'DeploymentFailed');
      assert.equal(reply.headers.get('preference-applied'), 'wait=5');
      assert.match(reply.headers.get('content-location') ?? '', /\/operations\/[^/]+\/result$/);
    });

    it('answers Prefer: wait=1 on a slow operation with 202 once the wait is over', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const reply = await api.post('/held', { gate: gate.name }, { prefer: 'wait=1' });
      assert.equal(reply.status, 202);
      assert.ok(reply.elapsedMs >= 900, `waited ${reply.elapsedMs} ms`);
      assert.ok(reply.elapsedMs < 4000, `waited ${reply.elapsedMs} ms`);
      assert.equal(reply.headers.get('operation-location'), api.operationUrl(reply.body.id));
      assertRetryAfter(reply.headers);
      assert.equal(reply.body.done, false);
      gate.open();
      await api.done(reply.body.id);
    });

    it('starts operations from PUT and DELETE routes too, with path parameters in the input', async () => {
      const api = app().client();
      const put = await api.request<OperationView>('PUT', '/things/lamp', {
        body: { color: 'red' },
      });
      assert.equal(put.status, 202);
      assert.equal(put.body.kind, 'thing.put');
      const created = await api.done(put.body.id);
      assert.equal(created.resourceLocation, `${app().root}/things/lamp`);
      const thing = await api.get<{ id: string; color: string }>(created.resourceLocation!);
      assert.deepEqual(thing.body, { id: 'lamp', color: 'red' });

      const removal = await api.delete<OperationView>('/things/lamp');
      assert.equal(removal.status, 202);
      const removed = await api.done(removal.body.id);
      assert.equal(removed.status, 'Succeeded');
      assert.equal(removed.resourceLocation, undefined, 'never a resourceLocation for deletes');
    });

    it("builds the input with the route's own function, from the path and the query", async () => {
      const api = app().client();
      const painted = await api.request<OperationView>('POST', '/things/chair/paint?color=green');
      assert.equal(painted.status, 202);
      const done = await api.done(painted.body.id);
      const thing = await api.get<{ id: string; color: string }>(done.resourceLocation!);
      assert.deepEqual(thing.body, { id: 'chair', color: 'green' });
    });
  });
}
