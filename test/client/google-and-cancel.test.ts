import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createClient,
  OperationCanceledError,
  OperationFailedError,
} from '../../src/client/index.js';
import { dialectServerPerTest, inTurn } from './helpers/dialect-server.js';
import { watchAndWait } from './helpers/watch-and-wait.js';

const client = () =>
  createClient({ polling: { intervalMs: 10, maxIntervalMs: 50 }, retry: { backoffMs: 10 } });

describe('Google operations, answers that finish at once, and cancel', () => {
  const serve = dialectServerPerTest();

  it('Google operations: polled by name, result in response, errors by gRPC code', async () => {
    const op = (name: string, extra: object) => ({ name, metadata: { '@type': 'x' }, ...extra });
    const { url, requests } = await serve({
      'POST /v1/documents:analyze': ({ send }) => send(200, op('operations/g1', {})),
      'GET /v1/operations/g1': inTurn(
        ({ send }) => send(200, op('operations/g1', { metadata: { progressPercent: 40 } })),
        ({ send }) => send(200, op('operations/g1', { done: true, response: { words: 12 } })),
      ),
      'POST /v1/documents:check': ({ send }) => send(200, op('operations/g2', { done: false })),
      'GET /v1/operations/g2': ({ send }) =>
        send(200, op('operations/g2', { done: true, error: { code: 3, message: 'Not a PDF.' } })),
    });
    const analyze = await client().start({ url: `${url}/v1/documents:analyze`, body: {} });
    assert.equal(analyze.url, `${url}/v1/operations/g1`);
    const { result, seen } = await watchAndWait(analyze);
    assert.deepEqual(result, { words: 12 });
    assert.ok(seen.some((s) => s.percentComplete === 40));
    assert.equal(requests('GET', '/v1/operations/g1').length, 2);
    const check = await client().start({ url: `${url}/v1/documents:check`, body: {} });
    const error = await check.wait().catch((e) => e);
    assert.ok(error instanceof OperationFailedError);
    assert.deepEqual(error.error, { code: 'INVALID_ARGUMENT', message: 'Not a PDF.', status: 3 });
  });

  it('an initial 200 or 201 with a terminal body, or a 204, finishes at once', async () => {
    const { url, log } = await serve({
      'POST /quick': ({ send }) => send(200, { value: 7 }),
      'PUT /vms/3': ({ send }) =>
        send(201, { name: 'vm3', properties: { provisioningState: 'Succeeded' } }),
      'DELETE /vms/3': ({ send }) => send(204),
      'POST /google': ({ send }) =>
        send(200, { name: 'operations/g3', done: true, response: { n: 1 } }),
    });
    const quick = await client().start({ url: `${url}/quick`, body: {} });
    assert.equal(quick.snapshot?.done, true);
    assert.deepEqual(await quick.wait(), { value: 7 });
    const vm = await client().start<{ name: string }>({ url: `${url}/vms/3`, method: 'PUT' });
    assert.equal((await vm.wait()).name, 'vm3');
    const gone = await client().start({ url: `${url}/vms/3`, method: 'DELETE' });
    assert.equal(await gone.wait(), undefined);
    assert.deepEqual(await (await client().start({ url: `${url}/google` })).wait(), { n: 1 });
    assert.equal(log.entries.filter((r) => r.method === 'GET').length, 0, 'nothing polled');
  });

  it('cancels through {monitor}:cancel: Canceling, then Canceled (status in any spelling)', async () => {
    let canceled = false;
    const { url, requests } = await serve({
      'POST /jobs': ({ send }) => send(202, undefined, { 'operation-location': '/ops/c1' }),
      'GET /ops/c1': ({ send }) =>
        send(200, canceled ? { status: 'Cancelled' } : { status: 'Running' }),
      'POST /ops/c1:cancel': ({ send }) => {
        canceled = true;
        send(200, { status: 'Canceling' });
      },
    });
    const handle = await client().start({ url: `${url}/jobs` });
    const watching = watchAndWait(handle);
    const answer = await handle.cancel();
    assert.equal(answer?.status, 'Canceling');
    const { result, statuses } = await watching;
    assert.ok((result as { error: unknown }).error instanceof OperationCanceledError);
    assert.deepEqual(statuses.slice(-2), ['Canceling', 'Canceled']);
    assert.equal(requests('POST', '/ops/c1:cancel').length, 1);
  });
});
