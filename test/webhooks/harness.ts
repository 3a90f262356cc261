import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { serveNode } from '../../src/adapters/node.js';
import { createLongrun, defineOperation, type Longrun } from '../../src/index.js';
import type { Store } from '../../src/store/store.js';
import type { WebhookOptions } from '../../src/webhooks/webhook-settings.js';
import { listenOnLoopback } from '../helpers/servers.js';

export const CALLBACK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const KEYS = { a: 'key-a', b: 'key-b' } as const;

/** `POST /jobs {fail?}`: reports 1 of 2 (50 %), ends 150 ms later, Succeeded (or Failed when `fail`). */
const job = defineOperation({
  kind: 'test.job',
  input: z.object({ fail: z.boolean().default(false) }),
  maxAttempts: 1,
  async run(input, ctx) {
    ctx.progress({ completed: 1, total: 2 });
    await sleep(150);
    if (input.fail) throw new Error('asked to fail');
    return { ok: true };
  },
});

/** Short test backoff: 150 ms between attempts, no jitter, a fast poll. */
export const FAST: WebhookOptions = {
  allowPrivateTargets: true,
  retryScheduleMs: [150, 150, 150],
  jitter: 0,
  pollMs: 50,
  timeoutMs: 2000,
  callbackSecret: CALLBACK_SECRET,
};

export interface TestServer {
  longrun: Longrun;
  url: string;
  call(key: string, method: string, path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** longrun over `store`, with tenants `a` and `b`, served on loopback. */
export async function startServer(
  store: Store,
  webhooks: WebhookOptions = FAST,
): Promise<TestServer> {
  const longrun = createLongrun({
    store,
    routes: [{ method: 'POST', path: '/jobs', operation: job }],
    apiKeys: { [KEYS.a]: 'a', [KEYS.b]: 'b' },
    webhooks,
    worker: { pollMs: 20 },
  });
  await longrun.start();
  const server = await serveNode(longrun.handler, { closeGraceMs: 100 });
  return {
    longrun,
    url: server.url,
    call(key, method, path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${key}`);
      if (init.body) headers.set('content-type', 'application/json');
      return fetch(`${server.url}${path}`, { ...init, method, headers });
    },
    async stop() {
      await server.close();
      await longrun.stop(1000);
    },
  };
}

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** A webhook receiver on loopback; `answer` decides each reply (status, headers). */
export async function startReceiver(
  answer: (
    request: Received,
    index: number,
  ) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 }),
) {
  const received: Received[] = [];
  const server = await listenOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(request);
      const reply = answer(request, received.length - 1);
      res.writeHead(reply.status, reply.headers).end();
    });
  });
  return {
    url: server.url,
    received,
    /** Waits until `count` requests matched `filter`, then returns them. */
    async waitFor(count: number, filter: (r: Received) => boolean = () => true, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matched = received.filter(filter);
        if (matched.length >= count) return matched;
        if (Date.now() > deadline) {
          throw new Error(`Timed out waiting for ${count} webhook(s); got ${matched.length}.`);
        }
        await sleep(20);
      }
    },
    close: () => server.close(),
  };
}

/** Polls `probe` until it returns a value. */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms.`);
    await sleep(20);
  }
}
