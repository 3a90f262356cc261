/**
 * One HTTP suite over every way the core is mounted under `/v1` (mounts.ts): node:http via
 * serveNode, Express, Express behind express.json(), Fastify, and Hono. Real servers on loopback,
 * port 0. Hono needs no adapter but needs `mount(handler, { replaceRequest: false })` (or the older
 * `app.mount('/v1', handler, { replaceRequest: false })`) so the core sees the URL with `/v1`.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { serveNode } from '../../src/adapters/node.js';
import { createEchoCore } from './echo-core.js';
import { MOUNTS, type Running } from './mounts.js';

/** Fails instead of hanging when an expected event never comes. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

for (const [name, start] of Object.entries(MOUNTS)) {
  describe(`adapter: ${name}`, () => {
    const core = createEchoCore();
    let running: Running;
    before(async () => {
      running = await start(core.handler);
    });
    after(() => running.close());

    it('passes the full URL, with the mount prefix, to the core', async () => {
      const response = await fetch(`${running.url}/v1/echo?x=1&y=%20`);
      const echo = (await response.json()) as { url: string; method: string };
      assert.equal(echo.method, 'GET');
      const seen = new URL(echo.url);
      assert.equal(seen.pathname, '/v1/echo');
      assert.equal(seen.search, '?x=1&y=%20');
      assert.equal(seen.origin, running.url.replace('localhost', '127.0.0.1'));
    });

    it('round-trips method, headers and a 100 KB JSON body; returns status and headers', async () => {
      const payload = {
        items: Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(90) })),
      };
      const sent = JSON.stringify(payload);
      assert.ok(sent.length > 100_000);
      const response = await fetch(`${running.url}/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-custom': 'hello' },
        body: sent,
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('x-echo-a'), 'one');
      assert.equal(response.headers.get('x-echo-b'), 'two');
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      // json() answers are written whole with a length, not chunked.
      assert.ok(Number(response.headers.get('content-length')) > 0);
      const echo = (await response.json()) as Record<string, unknown>;
      assert.equal(echo.method, 'POST');
      assert.equal(echo.custom, 'hello');
      assert.equal(echo.customCopied, 'hello');
      assert.equal(echo.contentType, 'application/json');
      assert.equal(echo.bodyLength, sent.length);
      assert.deepEqual(echo.body, payload);
    });

    it('writes a real Response with several set-cookie headers', async () => {
      const response = await fetch(`${running.url}/v1/cookies`);
      assert.equal(response.status, 202);
      assert.equal(response.headers.get('x-kind'), 'real-response');
      assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(await response.text(), 'cookies');
    });

    it('answers 304 with its headers and no body', async () => {
      const response = await fetch(`${running.url}/v1/not-modified`);
      assert.equal(response.status, 304);
      assert.equal(response.headers.get('etag'), '"r1"');
      assert.equal(await response.text(), '');
    });

    it('answers an empty 202 with a zero length, not a chunked body', async () => {
      const response = await fetch(`${running.url}/v1/accepted`);
      assert.equal(response.status, 202);
      assert.equal(response.headers.get('location'), '/v1/operations/1');
      assert.equal(response.headers.get('content-length'), '0');
      assert.equal(response.headers.get('transfer-encoding'), null);
    });

    it('streams a body chunk by chunk', async () => {
      const response = await fetch(`${running.url}/v1/stream`);
      assert.equal(response.status, 200);
      const reader = response.body!.getReader();
      const arrivals: { text: string; at: number }[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arrivals.push({ text: new TextDecoder().decode(value), at: performance.now() });
      }
      assert.equal(arrivals.map((chunk) => chunk.text).join(''), 'one\ntwo\nthree\n');
      assert.ok(arrivals.length >= 3, `expected 3 separate chunks, got ${arrivals.length}`);
      const spread = arrivals.at(-1)!.at - arrivals[0]!.at;
      assert.ok(spread >= 100, `chunks arrived together (${spread.toFixed(0)} ms apart)`);
    });

    for (const late of [false, true]) {
      const when = late ? 'before the core reads request.signal' : 'while the core waits on it';
      it(`aborts request.signal when the client disconnects ${when}`, async () => {
        const id = `${name}-${late}`;
        const probe = core.waitProbe(id);
        const query = `id=${encodeURIComponent(id)}${late ? '&late' : ''}`;
        const client = httpRequest(`${running.url}/v1/wait?${query}`);
        client.on('error', () => {}); // the reset we cause ourselves
        client.end();
        await within(probe.entered.promise, 2000, 'the handler to start');
        client.destroy();
        await within(probe.aborted.promise, 2000, 'request.signal to abort');
      });
    }
  });
}

describe('adapter: node only', () => {
  let running: Running;
  const errors: unknown[] = [];
  before(async () => {
    running = await serveNode(createEchoCore().handler, { onError: (error) => errors.push(error) });
  });
  after(() => running.close());

  it('answers a throwing core with a 500 problem that does not leak the error', async () => {
    const response = await fetch(`${running.url}/v1/throw`);
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    const text = await response.text();
    assert.doesNotMatch(text, /secret detail|at .*\.ts/);
    assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, 'Internal');
    assert.equal(errors.length, 1);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await fetch(`${running.url}/v1/echo`, { method: 'HEAD' });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-echo-a'), 'one');
    assert.equal(await response.text(), '');
  });

  it('refuses a malformed Host header with 400', async () => {
    const { port } = new URL(running.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const client = httpRequest({ port, path: '/v1/echo', headers: { host: 'evil.example/x?' } });
      client.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      client.on('error', reject);
      client.end();
    });
    assert.equal(status, 400);
  });
});
