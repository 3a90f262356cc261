import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { assertProblem } from '../../helpers/assertions.js';
import { type SuiteEnvironment, TENANT_HEADER } from './environment.js';

const KEY_A = 'tenant-a-key-0123456789';
const KEY_B = 'tenant-b-key-0123456789';

/** PROTOCOL.md section 8 (idempotency) and the tenant scoping of sections 3, 5 and 9. */
export function describeIdempotencyAndTenants(env: SuiteEnvironment): void {
  describe('idempotency keys', () => {
    const app = env.useApp('idempotency');

    it('replays the same operation for the same key and body, with Idempotent-Replayed', async () => {
      const api = app().client();
      const headers = { 'idempotency-key': randomUUID() };
      const first = await api.post('/reports', { items: 2, itemMs: 0 }, headers);
      assert.equal(first.status, 202);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      await api.done(first.body.id);

      const second = await api.post('/reports', { items: 2, itemMs: 0 }, headers);
      assert.equal(second.body.id, first.body.id, 'the same operation');
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      assert.equal(
        second.headers.get('operation-location'),
        first.headers.get('operation-location'),
      );
      assert.equal(second.body.status, 'Succeeded', 'its current representation');
      assert.equal((await api.listAll()).length, 1);
    });

    it('refuses the same key with a different body: 422 IdempotencyKeyReused, nothing stored', async () => {
      const api = app().client();
      const headers = { 'idempotency-key': randomUUID() };
      const first = await api.post('/reports', { items: 2, itemMs: 0 }, headers);
      assert.equal(first.status, 202);
      const reused = await api.post('/reports', { items: 3, itemMs: 0 }, headers);
      assertProblem(reused, 422, 'IdempotencyKeyReused');
      assert.deepEqual(
        (await api.listAll()).map((operation) => operation.id),
        [first.body.id],
      );
    });

    it('accepts Repeatability-Request-ID as the key', async () => {
      const api = app().client();
      const headers = { 'repeatability-request-id': randomUUID() };
      const first = await api.post('/reports', { items: 1, itemMs: 0 }, headers);
      const second = await api.post('/reports', { items: 1, itemMs: 0 }, headers);
      assert.equal(second.body.id, first.body.id);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
    });

    it('accepts an Operation-Id header or a requestId in the body as the key', async () => {
      const api = app().client();
      const headers = { 'operation-id': randomUUID() };
      const first = await api.post('/reports', { items: 1, itemMs: 0 }, headers);
      const second = await api.post('/reports', { items: 1, itemMs: 0 }, headers);
      assert.equal(second.body.id, first.body.id);
      const body = { items: 1, itemMs: 0, requestId: randomUUID() };
      const third = await api.post('/reports', body);
      const fourth = await api.post('/reports', body);
      assert.equal(fourth.body.id, third.body.id);
      assert.equal(fourth.headers.get('idempotent-replayed'), 'true');
      assert.equal((await api.listAll()).length, 2);
    });

    it('answers concurrent duplicates with one operation, created once', async () => {
      const api = app().client();
      const headers = { 'idempotency-key': randomUUID() };
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => api.post('/reports', { items: 1, itemMs: 0 }, headers)),
      );
      for (const reply of replies) assert.equal(reply.status, 202);
      assert.equal(new Set(replies.map((reply) => reply.body.id)).size, 1);
      const originals = replies.filter((reply) => !reply.headers.has('idempotent-replayed'));
      assert.equal(originals.length, 1, 'exactly one answer is the original');
      assert.equal((await api.listAll()).length, 1);
    });

    it('scopes keys to the route: the same key on another route starts another operation', async () => {
      const api = app().client();
      const headers = { 'idempotency-key': randomUUID() };
      const report = await api.post('/reports', { items: 1, itemMs: 0 }, headers);
      const vm = await api.post('/vm-deployments', { image: 'x', stepMs: 0 }, headers);
      assert.equal(vm.status, 202);
      assert.notEqual(vm.body.id, report.body.id);
      assert.equal(vm.body.kind, 'vm.deploy');
    });

    it('refuses a key longer than 255 characters with 400, storing nothing', async () => {
      const api = app().client();
      const reply = await api.post(
        '/reports',
        { items: 1 },
        { 'idempotency-key': 'k'.repeat(256) },
      );
      const problem = assertProblem(reply, 400, 'InvalidArgument');
      assert.equal(problem.error.target, 'idempotency-key');
      assert.deepEqual(await api.listAll(), []);
    });

    it('scopes keys to the caller: another tenant with the same key gets its own operation', async () => {
      const key = { 'idempotency-key': randomUUID() };
      const one = app().client();
      const other = app().client();
      const first = await one.post('/reports', { items: 1, itemMs: 0 }, key);
      const second = await other.post('/reports', { items: 1, itemMs: 0 }, key);
      assert.equal(second.status, 202);
      assert.notEqual(second.body.id, first.body.id);
      assert.equal(second.headers.get('idempotent-replayed'), null);
    });
  });

  describe('tenants and API keys', () => {
    const app = env.useApp('tenants', { apiKeys: { [KEY_A]: 'a', [KEY_B]: 'b' } });

    it('answers 401 problem with WWW-Authenticate without a key or with a wrong one', async () => {
      const anonymous = app().client();
      const missing = await anonymous.get('/operations');
      assertProblem(missing, 401, 'Unauthenticated');
      assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
      const wrong = await anonymous.post(
        '/reports',
        { items: 1 },
        { 'api-key': 'not-a-key-0123456789' },
      );
      assertProblem(wrong, 401, 'Unauthenticated');
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
      const spoofed = await anonymous.get('/operations', { [TENANT_HEADER]: 'a' });
      assert.equal(spoofed.status, 401);
    });

    it('hides one tenant’s operations from another: 404 on every URL, absent from its list', async () => {
      const a = app().client({ authorization: `Bearer ${KEY_A}` });
      const b = app().client({ 'api-key': KEY_B });
      const gate = env.gates.create();
      const start = await a.post('/held', { gate: gate.name });
      assert.equal(start.status, 202);
      const id = start.body.id;
      const url = a.operationUrl(id);
      await gate.started;

      assertProblem(await b.get(url), 404, 'NotFound');
      assertProblem(await b.get(`${url}/result`), 404, 'NotFound');
      assertProblem(await b.post(`${url}:cancel`), 404, 'NotFound');
      assertProblem(await b.post(`${url}:wait?timeout=1s`), 404, 'NotFound');
      assertProblem(await b.delete(url), 404, 'NotFound');
      assert.ok(!(await b.listAll()).some((operation) => operation.id === id));

      const mine = await a.operation(id);
      assert.equal(mine.status, 200);
      assert.equal(mine.body.status, 'Running', 'untouched by the other tenant');
      assert.ok((await a.listAll()).some((operation) => operation.id === id));
      gate.open();
      await a.done(id);
    });
  });
}
