import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { mount } from 'hono/mount';
import { expressMiddleware } from '../../src/adapters/express.js';
import { longrunFastify } from '../../src/adapters/fastify.js';
import { serveNode } from '../../src/adapters/node.js';
import type { FetchHandler } from '../../src/http/respond.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Every way the core gets mounted under `/v1`; each test below runs against each of them. */
export const MOUNTS: Record<string, (handler: FetchHandler) => Promise<Running>> = {
  node: (handler) => serveNode(handler),
  express: (handler) => listen(express().use('/v1', expressMiddleware(handler))),
  // A body parser ahead of the core: the adapter must re-serialize what it consumed.
  'express+json': (handler) =>
    listen(
      express()
        .use(express.json({ limit: '1mb' }))
        .use('/v1', expressMiddleware(handler)),
    ),
  fastify: async (handler) => {
    const app = Fastify();
    await app.register(longrunFastify, { handler, prefix: '/v1' });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  // Hono needs no adapter. `replaceRequest: false` is the option that matters: without it Hono
  // strips the mount prefix from request.url, and the core (basePath '/v1') would see `/echo`.
  // The same with the older API: `app.mount('/v1', handler, { replaceRequest: false })`
  // (deprecated in Hono 4 in favour of `hono/mount`, used here).
  hono: (handler) => {
    const app = new Hono().all('/v1/*', mount(handler, { replaceRequest: false }));
    return serveNode(async (request) => app.fetch(request));
  },
};

async function listen(listener: RequestListener): Promise<Running> {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      return closed.then(() => undefined);
    },
  };
}
