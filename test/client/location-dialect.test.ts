import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createClient,
  NetworkError,
  OperationCanceledError,
  OperationFailedError,
  type OperationHandleJSON,
} from '../../src/client/index.js';
import { dialectServerPerTest, inTurn } from './helpers/dialect-server.js';

/** A little slack for timer and clock granularity when checking a wait was honoured. */
const SLACK_MS = 30;
const client = () =>
  createClient({ polling: { intervalMs: 10, maxIntervalMs: 5000 }, retry: { backoffMs: 10 } });

describe('a 202 with only Location, polled until it answers something else', () => {
  const serve = dialectServerPerTest();

  it('resolves a relative Location against the request and honours Retry-After in delta-seconds', async () => {
    const { url, requests } = await serve({
      'POST /api/jobs': ({ send }) =>
        send(202, undefined, { location: 'jobs/7', 'retry-after': '1' }),
      'GET /api/jobs/7': inTurn(
        ({ send }) => send(202),
        ({ send }) => send(200, { answer: 42 }),
      ),
    });
    const handle = await client().start({ url: `${url}/api/jobs`, body: { size: 3 } });
    assert.equal(handle.url, `${url}/api/jobs/7`);
    assert.deepEqual(await handle.wait(), { answer: 42 });
    const [start] = requests('POST', '/api/jobs');
    const [first, second] = requests('GET', '/api/jobs/7');
    assert.ok(
      first!.at - start!.at >= 1000 - SLACK_MS,
      `waited ${first!.at - start!.at} ms, asked 1 s`,
    );
    assert.ok(second!.at - first!.at < 1000, 'no Retry-After on the 202: the client pace');
    assert.equal(start!.headers.get('content-type'), 'application/json');
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const at = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    const { url, requests } = await serve({
      'POST /jobs': ({ send }) => send(202, undefined, { location: '/jobs/8' }),
      'GET /jobs/8': inTurn(
        ({ send }) => send(202, undefined, { 'retry-after': at.toUTCString() }),
        ({ send }) => send(201, { id: 8 }),
      ),
    });
    const result = await (await client().start({ url: `${url}/jobs` })).wait();
    assert.deepEqual(result, { id: 8 });
    const [, second] = requests('GET', '/jobs/8');
    assert.ok(
      second!.at >= at.getTime() - SLACK_MS,
      `polled ${at.getTime() - second!.at} ms early`,
    );
  });

  it('retries a 503 and a 429 with Retry-After, without reporting them', async () => {
    const { url, requests } = await serve({
      'POST /jobs': ({ send }) => send(202, undefined, { location: '/jobs/9' }),
      'GET /jobs/9': inTurn(
        ({ send }) => send(503, { title: 'Busy' }),
        ({ send }) => send(429, { title: 'Slow down' }, { 'retry-after': '1' }),
        ({ send }) => send(200, { done: 'yes' }),
      ),
    });
    const handle = await client().start({ url: `${url}/jobs` });
    const statuses: string[] = [];
    handle.subscribe((snapshot) => statuses.push(`${snapshot.httpStatus} ${snapshot.status}`));
    assert.deepEqual(await handle.wait(), { done: 'yes' });
    assert.deepEqual(statuses, ['202 Running', '200 Succeeded']);
    const [, second, third] = requests('GET', '/jobs/9');
    assert.ok(third!.at - second!.at >= 1000 - SLACK_MS, 'the 429 Retry-After was honoured');
  });

  it('ends in OperationFailedError on a final 4xx, carrying the problem error', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Quota exceeded',
      status: 422,
      error: { code: 'QuotaExceeded', message: 'No quota left for reports this month.' },
    };
    const { url } = await serve({
      'POST /jobs': ({ send }) => send(202, undefined, { location: '/jobs/10' }),
      'GET /jobs/10': inTurn(
        ({ send }) => send(202),
        ({ send }) => send(422, problem, { 'content-type': 'application/problem+json' }),
      ),
    });
    const error = await (await client().start({ url: `${url}/jobs` })).wait().catch((e) => e);
    assert.ok(error instanceof OperationFailedError, String(error));
    assert.deepEqual(error.error, problem.error);
    assert.equal(error.snapshot.httpStatus, 422);
    assert.match(error.message, /failed: QuotaExceeded: No quota left/);
  });

  it('takes a 500 without Retry-After as the final failure, and a 409 Canceled as a cancel', async () => {
    const { url, requests } = await serve({
      'POST /a': ({ send }) => send(202, undefined, { location: '/a/1' }),
      'GET /a/1': ({ send }) => send(500, { title: 'Internal', detail: 'The render crashed.' }),
      'POST /b': ({ send }) => send(202, undefined, { location: '/b/1' }),
      'GET /b/1': ({ send }) =>
        send(409, { error: { code: 'Canceled', message: 'By the owner.' } }),
    });
    const failed = await (await client().start({ url: `${url}/a` })).wait().catch((e) => e);
    assert.ok(failed instanceof OperationFailedError, String(failed));
    assert.deepEqual(failed.error, { code: 'Http500', message: 'The render crashed.' });
    assert.equal(requests('GET', '/a/1').length, 1, 'a final 500 is not retried');
    const canceled = await (await client().start({ url: `${url}/b` })).wait().catch((e) => e);
    assert.ok(canceled instanceof OperationCanceledError, String(canceled));
    assert.match(canceled.message, /was canceled: By the owner/);
  });

  it('sends a start again after a refusal (503 + Retry-After), never after a cut-off POST', async () => {
    const { url, requests, dropNext } = await serve({
      'POST /jobs': inTurn(
        ({ send }) => send(503, { title: 'Overloaded' }, { 'retry-after': '0' }),
        ({ send }) => send(202, undefined, { location: '/jobs/12' }),
      ),
    });
    const handle = await client().start({ url: `${url}/jobs`, body: { n: 1 } });
    assert.equal(handle.url, `${url}/jobs/12`);
    assert.equal(requests('POST', '/jobs').length, 2);
    dropNext(1);
    const error = await client()
      .start({ url: `${url}/jobs`, body: { n: 2 } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof NetworkError, String(error));
    assert.match(error.message, /^POST http:\/\/127\.0\.0\.1:\d+\/jobs got no answer/);
    assert.equal(requests('POST', '/jobs').length, 3, 'the cut-off POST was not sent again');
  });

  it('serialises the handle with its mode, and re-attaches to the same Location', async () => {
    const { url, requests } = await serve({
      'POST /jobs': ({ send }) => send(202, undefined, { location: '/jobs/11' }),
      'GET /jobs/11': inTurn(
        ({ send }) => send(202),
        ({ send }) => send(204),
      ),
    });
    const started = await client().start({ url: `${url}/jobs`, method: 'post' });
    const json: OperationHandleJSON = JSON.parse(JSON.stringify(started));
    assert.deepEqual(json, {
      monitor: `${url}/jobs/11`,
      mode: 'location',
      method: 'POST',
      url: `${url}/jobs`,
      location: `${url}/jobs/11`,
    });
    assert.equal(await client().operation(json).wait(), undefined);
    assert.equal(requests('GET', '/jobs/11').length, 2);
  });
});
