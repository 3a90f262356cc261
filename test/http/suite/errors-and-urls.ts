import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProblem } from '../../helpers/assertions.js';
import type { SuiteEnvironment } from './environment.js';

const PUBLIC_ORIGIN = 'https://api.example.test';

/** PROTOCOL.md section 6 (errors) and the URL rules of section 1. */
export function describeErrorsAndUrls(env: SuiteEnvironment): void {
  describe('errors', () => {
    const app = env.useApp('errors', { limits: { maxBodyBytes: 1024, maxWaitSeconds: 1 } });

    it('answers 400 problem to a body that is not JSON, and stores nothing', async () => {
      const api = app().client();
      const reply = await api.post('/reports', '{"items": 3');
      assertProblem(reply, 400, 'InvalidArgument');
      assert.deepEqual(await api.listAll(), []);
    });

    it('answers 422 problem naming each invalid field, and stores nothing', async () => {
      const api = app().client();
      const reply = await api.post('/reports', { items: 'many', itemMs: -1 });
      const problem = assertProblem(reply, 422, 'ValidationFailed');
      const targets = problem.error.details?.map((detail) => detail.target);
      assert.deepEqual(targets?.toSorted(), ['itemMs', 'items']);
      assert.match(problem.detail, /items/);
      const missing = assertProblem(
        await api.post('/lifecycle-projects', {}),
        422,
        'ValidationFailed',
      );
      assert.deepEqual(
        missing.error.details?.map((detail) => detail.target),
        ['name'],
      );
      assert.deepEqual(await api.listAll(), []);
    });

    it('answers 413 to a body over the limit, declared or streamed, and stores nothing', async () => {
      const api = app().client();
      const big = JSON.stringify({ items: 1, padding: 'x'.repeat(2000) });
      assertProblem(await api.post('/reports', big), 413, 'PayloadTooLarge');
      const bytes = new TextEncoder().encode(big);
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 512) {
            controller.enqueue(bytes.slice(offset, offset + 512));
          }
          controller.close();
        },
      });
      assertProblem(await api.post('/reports', streamed), 413, 'PayloadTooLarge');
      assert.deepEqual(await api.listAll(), []);
    });

    it('answers 415 problem to a body that is not JSON by its content type', async () => {
      const api = app().client();
      const reply = await api.post('/reports', 'items=3', { 'content-type': 'text/plain' });
      assertProblem(reply, 415, 'UnsupportedMediaType');
    });

    it('answers 404 problem+json for an unknown route', async () => {
      const api = app().client();
      assertProblem(await api.get('/nothing-here'), 404, 'NotFound');
      assertProblem(await api.post('/nothing-here', {}), 404, 'NotFound');
      assertProblem(await api.get('/operations/abc/def'), 404, 'NotFound');
    });

    it('answers 405 with Allow for a wrong method on a known path', async () => {
      const api = app().client();
      const onStart = await api.delete('/reports');
      assertProblem(onStart, 405, 'MethodNotAllowed');
      assert.equal(onStart.headers.get('allow'), 'POST');
      const start = await api.post('/reports', { items: 1, itemMs: 0 });
      const url = api.operationUrl(start.body.id);
      const onOperation = await api.request('PATCH', url);
      assertProblem(onOperation, 405, 'MethodNotAllowed');
      assert.deepEqual(allowOf(onOperation.headers), ['DELETE', 'GET']);
      const onCancel = await api.get(`${url}:cancel`);
      assertProblem(onCancel, 405, 'MethodNotAllowed');
      assert.deepEqual(allowOf(onCancel.headers), ['POST']);
      const onList = await api.post('/operations', {});
      assertProblem(onList, 405, 'MethodNotAllowed');
      assert.deepEqual(allowOf(onList.headers), ['GET']);
    });

    it('serves problems as application/json to a client that accepts only that', async () => {
      const api = app().client({ accept: 'application/json' });
      assertProblem(await api.get('/nothing-here'), 404, 'NotFound', 'application/json');
      const invalid = await api.post('/reports', { items: 0 });
      assertProblem(invalid, 422, 'ValidationFailed', 'application/json');
    });

    it('caps Prefer: wait at the configured maximum', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const start = await api.post('/held', { gate: gate.name });
      await gate.started;
      const running = await api.until(start.body.id, (operation) => operation.status === 'Running');
      const current = (await api.operation(running.id)).headers.get('etag')!;
      const reply = await api.operation(running.id, {
        prefer: 'wait=30',
        'if-none-match': current,
      });
      assert.equal(reply.status, 304);
      assert.ok(reply.elapsedMs < 3000, `held ${reply.elapsedMs} ms, not 30 s`);
      assert.equal(reply.headers.get('preference-applied'), 'wait=1', 'the wait it applied');
      gate.open();
      await api.done(running.id);
    });

    it('ignores unknown query parameters such as api-version', async () => {
      const api = app().client();
      const query = '?api-version=2024-06-01';
      const start = await api.post(`/reports${query}`, { items: 1, itemMs: 0 });
      assert.equal(start.status, 202);
      const url = api.operationUrl(start.body.id);
      await api.done(start.body.id);
      assert.equal((await api.get(`${url}${query}`)).status, 200);
      assert.equal((await api.get(`${url}/result${query}`)).status, 201);
      assert.equal((await api.get(`/operations${query}`)).status, 200);
    });
  });

  describe('absolute URLs behind a public origin', () => {
    // Also the one app of the suite on longrun's default authentication: one anonymous tenant.
    const app = env.useApp('public-origin', {
      publicOrigin: `${PUBLIC_ORIGIN}/`,
      tenantHeader: false,
    });

    it('builds every emitted URL from the configured public origin', async () => {
      const api = app().client();
      const root = `${PUBLIC_ORIGIN}/v1`;
      const start = await api.post('/reports', { items: 1, itemMs: 0 });
      const self = `${root}/operations/${start.body.id}`;
      assert.equal(start.headers.get('operation-location'), self);
      assert.equal(start.headers.get('location'), `${self}/result`);
      assert.equal(start.headers.get('content-location'), self);
      assert.equal(start.body.links.self, self);
      assert.equal(start.body.links.cancel, `${self}:cancel`);

      const done = await api.done(start.body.id);
      assert.equal(done.resourceLocation, `${root}/reports/${done.id}`);
      const result = await api.result(done.id);
      assert.equal(result.headers.get('location'), `${root}/reports/${done.id}`);
      await api.post('/reports', { items: 1, itemMs: 0 });
      const list = await api.get<{ nextLink: string }>('/operations?pageSize=1');
      assert.ok(list.body.nextLink.startsWith(`${root}/operations?`), list.body.nextLink);
    });
  });
}

function allowOf(headers: Headers): string[] {
  return (headers.get('allow') ?? '')
    .split(',')
    .map((method) => method.trim())
    .sort();
}
