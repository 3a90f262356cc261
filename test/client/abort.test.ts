import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient } from '../../src/client/index.js';
import { type DialectServer, startDialectServer } from './helpers/dialect-server.js';
import { eventually } from './helpers/eventually.js';
import { HeldMonitor } from './helpers/held-monitor.js';

const CHILD = fileURLToPath(new URL('./fixtures/abort-child.ts', import.meta.url));

describe('AbortSignal stops everything', () => {
  let server: DialectServer | undefined;
  afterEach(() => server?.close());

  it('aborts wait(), subscribe() and the iterator, and closes the shared request', async () => {
    const monitor = new HeldMonitor('/ops/1');
    server = await startDialectServer({
      'POST /jobs': ({ send }) => send(202, undefined, { 'operation-location': '/ops/1' }),
      ...monitor.routes(),
    });
    const handle = await createClient().start({ url: `${server.url}/jobs` });
    const controller = new AbortController();
    const { signal } = controller;
    const waiting = handle.wait({ signal }).catch((e: unknown) => e);
    let subscriberError: unknown;
    handle.subscribe({ error: (error) => (subscriberError = error) }, { signal });
    const iterating = (async () => {
      for await (const _ of handle.snapshots({ signal }));
    })().catch((e: unknown) => e);
    await eventually(() => monitor.held === 1, 'a held long-poll');
    controller.abort();
    const reasons = [await waiting, subscriberError, await iterating];
    for (const reason of reasons) assert.equal((reason as Error).name, 'AbortError');
    await eventually(() => monitor.held === 0, 'the held long-poll closed by the client');
    assert.equal(monitor.maxHeld, 1);
  });

  it('leaves nothing behind: a child process watching by every transport exits by itself', async () => {
    const monitor = new HeldMonitor('/ops/1');
    const streams: { closed: boolean }[] = [];
    server = await startDialectServer({
      'POST /jobs': ({ send }) => send(202, undefined, { 'operation-location': '/ops/1' }),
      ...monitor.routes(),
      'POST /slow': ({ send }) =>
        send(202, undefined, { location: '/slow/1', 'retry-after': '3600' }),
      'GET /sse/1': ({ request, send }) =>
        send(200, {
          status: 'Running',
          links: { events: `http://${request.headers.host}/sse/1/events` },
        }),
      'GET /sse/1/events': ({ response }) => {
        const stream = { closed: false };
        streams.push(stream);
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': open\n\n');
        response.on('close', () => (stream.closed = true));
      },
    });
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, server.url], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    await eventually(
      () => output.includes('watching') && monitor.held === 1 && streams.length === 1,
      'the child long-polling, asleep on Retry-After, and streaming',
      15_000,
    );
    const abortedAt = Date.now();
    child.stdin.write('abort\n');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const [code] = await exited;
    clearTimeout(killer);
    assert.equal(code, 0);
    assert.ok(Date.now() - abortedAt < 2000, `exited ${Date.now() - abortedAt} ms after the abort`);
    assert.equal(output.trim().split('\n').at(-1), '["AbortError","AbortError","AbortError"]');
    await eventually(() => monitor.held === 0 && streams[0]!.closed, 'connections closed');
  });
});
