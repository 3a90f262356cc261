import { once } from 'node:events';
import { empty, type FetchHandler, json, problem } from '../../src/http/respond.js';

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small core stand-in: echoes what reached it and exercises each kind of answer. */
export function createEchoCore() {
  type Deferred = ReturnType<typeof deferred<void>>;
  const waits = new Map<string, { entered: Deferred; aborted: Deferred }>();
  const waitProbe = (id: string) => {
    let probe = waits.get(id);
    if (probe === undefined) {
      probe = { entered: deferred(), aborted: deferred() };
      waits.set(id, probe);
    }
    return probe;
  };
  const handler: FetchHandler = async (request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/v1/echo': {
        const text = await request.text();
        return json(
          {
            method: request.method,
            url: request.url,
            custom: request.headers.get('x-custom'),
            // Iterating builds real Headers from the node ones: both views must agree.
            customCopied: new Headers(request.headers).get('x-custom'),
            contentType: request.headers.get('content-type'),
            bodyLength: text.length,
            body: text === '' ? null : JSON.parse(text),
          },
          201,
          { 'x-echo-a': 'one', 'x-echo-b': 'two' },
        );
      }
      case '/v1/cookies': {
        const headers = new Headers({ 'content-type': 'text/plain', 'x-kind': 'real-response' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response('cookies', { status: 202, headers });
      }
      case '/v1/accepted':
        return empty(202, { location: '/v1/operations/1' });
      case '/v1/not-modified':
        return empty(304, { etag: '"r1"' });
      case '/v1/stream': {
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            for (const word of ['one', 'two', 'three']) {
              controller.enqueue(new TextEncoder().encode(`${word}\n`));
              await sleep(80);
            }
            controller.close();
          },
        });
        return new Response(stream, { headers: { 'content-type': 'text/plain' } });
      }
      case '/v1/wait': {
        const probe = waitProbe(url.searchParams.get('id') ?? '');
        probe.entered.resolve();
        // `late`: first look at the signal well after the client left (it must already be aborted).
        if (url.searchParams.has('late')) await sleep(200);
        const signal = request.signal;
        if (!signal.aborted) await once(signal, 'abort');
        probe.aborted.resolve();
        return empty(204);
      }
      case '/v1/throw':
        throw new Error('secret detail that must not reach the client');
    }
    return problem(404, { code: 'NotFound', message: `No route for ${url.pathname}.` });
  };
  return { handler, waitProbe };
}
