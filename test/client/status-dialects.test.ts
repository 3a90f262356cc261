import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient, OperationFailedError } from '../../src/client/index.js';
import { dialectServerPerTest, inTurn } from './helpers/dialect-server.js';
import { watchAndWait } from './helpers/watch-and-wait.js';

const client = () =>
  createClient({ polling: { intervalMs: 10, maxIntervalMs: 50 }, retry: { backoffMs: 10 } });

describe('status monitors and other dialects', () => {
  const serve = dialectServerPerTest();

  it('Azure-AsyncOperation after a PUT: status in any case, then the PUT URL is read again', async () => {
    const { url, requests } = await serve({
      'PUT /things/1': ({ send }) =>
        send(
          201,
          { id: 1, properties: { provisioningState: 'Creating' } },
          {
            'azure-asyncoperation': '../ops/a1?api-version=2024-01-01',
          },
        ),
      'GET /ops/a1': inTurn(
        ({ send }) => send(200, { status: 'InProgress', percentComplete: 30 }),
        ({ send }) => send(200, { status: 'SUCCEEDED' }),
      ),
      'GET /things/1': ({ send }) =>
        send(200, { id: 1, color: 'blue', properties: { provisioningState: 'Succeeded' } }),
    });
    const handle = await client().start({ url: `${url}/things/1`, method: 'PUT', body: {} });
    assert.equal(handle.url, `${url}/ops/a1?api-version=2024-01-01`);
    const { result, statuses, seen } = await watchAndWait(handle);
    assert.deepEqual(result, {
      id: 1,
      color: 'blue',
      properties: { provisioningState: 'Succeeded' },
    });
    // The 201 says nothing of the operation (Running by default); the monitor then adds 30 %.
    assert.deepEqual(statuses, ['Running', 'Running', 'Succeeded']);
    assert.equal(seen[1]?.percentComplete, 30);
    assert.equal(requests('GET', '/things/1').length, 1);
  });

  it('a DELETE has no result: nothing is fetched after Succeeded', async () => {
    const { url, log } = await serve({
      'DELETE /things/2': ({ send }) =>
        send(202, undefined, { 'azure-asyncoperation': '/ops/d2', location: '/ops/d2/result' }),
      'GET /ops/d2': ({ send }) => send(200, { status: 'Succeeded' }),
    });
    const handle = await client().start({ url: `${url}/things/2`, method: 'DELETE' });
    assert.equal(await handle.wait(), undefined);
    assert.deepEqual(
      log.entries.map((r) => `${r.method} ${r.path}`),
      ['DELETE /things/2', 'GET /ops/d2'],
    );
  });

  it('Operation-Location (relative) with the result at resourceLocation', async () => {
    const { url } = await serve({
      'POST /reports': ({ send }) => send(202, undefined, { 'operation-location': 'ops/o1' }),
      'GET /ops/o1': inTurn(
        ({ send }) => send(200, { id: 'o1', status: 'notStarted' }),
        ({ send }) => send(200, { id: 'o1', status: 'running', percentComplete: 50 }),
        ({ send }) => send(200, { id: 'o1', status: 'succeeded', resourceLocation: '/reports/r1' }),
      ),
      'GET /reports/r1': ({ send }) => send(200, { report: 'r1', pages: 3 }),
    });
    const handle = await client().start({ url: `${url}/reports`, body: { pages: 3 } });
    const { result, statuses } = await watchAndWait(handle);
    assert.deepEqual(result, { report: 'r1', pages: 3 });
    assert.deepEqual(statuses, ['Running', 'NotStarted', 'Running', 'Succeeded']);
  });

  it('a failed status body rejects with its error', async () => {
    const { url } = await serve({
      'POST /reports': ({ send }) => send(202, undefined, { 'operation-location': '/ops/f1' }),
      'GET /ops/f1': ({ send }) =>
        send(200, { status: 'Failed', error: { code: 'BadInput', message: 'Page 2 is empty.' } }),
    });
    const { result } = await watchAndWait(await client().start({ url: `${url}/reports` }));
    const { error } = result as { error: OperationFailedError };
    assert.ok(error instanceof OperationFailedError, String(error));
    assert.deepEqual(error.error, { code: 'BadInput', message: 'Page 2 is empty.' });
  });

  it('an action whose status monitor carries its outcome resolves with that body', async () => {
    const final = { status: 'succeeded', analyzeResult: { pages: 2 } };
    const { url } = await serve({
      'POST /analyze': ({ send }) => send(202, undefined, { 'operation-location': '/ops/r1' }),
      'GET /ops/r1': ({ send }) => send(200, final),
    });
    assert.deepEqual(await (await client().start({ url: `${url}/analyze` })).wait(), final);
  });

  it('provisioningState in the resource body: polls the resource until it settles', async () => {
    const { url, requests } = await serve({
      'PUT /vms/1': ({ send }) =>
        send(201, { name: 'vm1', properties: { provisioningState: 'Accepted' } }),
      'GET /vms/1': inTurn(
        ({ send }) => send(200, { name: 'vm1', properties: { provisioningState: 'Updating' } }),
        ({ send }) =>
          send(200, {
            name: 'vm1',
            properties: { provisioningState: 'Succeeded', ip: '10.0.0.4' },
          }),
      ),
      'PUT /vms/2': ({ send }) => send(201, { name: 'vm2', provisioningState: 'Creating' }),
      'GET /vms/2': ({ send }) => send(200, { name: 'vm2', provisioningState: 'Failed' }),
    });
    const vm1 = await client().start({ url: `${url}/vms/1`, method: 'PUT', body: { size: 'S' } });
    const { result, statuses, seen } = await watchAndWait(vm1);
    assert.deepEqual(result, {
      name: 'vm1',
      properties: { provisioningState: 'Succeeded', ip: '10.0.0.4' },
    });
    assert.deepEqual(statuses, ['Running', 'Running', 'Succeeded']);
    assert.deepEqual(
      seen.map((s) => s.dialect),
      ['resource', 'resource', 'resource'],
    );
    assert.equal(requests('GET', '/vms/1').length, 2);
    const vm2 = await client().start({ url: `${url}/vms/2`, method: 'PUT', body: {} });
    const failed = await vm2.wait().catch((e) => e);
    assert.ok(failed instanceof OperationFailedError);
    assert.match(failed.message, /reported "Failed" without an error object/);
  });
});
