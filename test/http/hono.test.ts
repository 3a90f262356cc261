import { Hono } from 'hono';
import { mount } from 'hono/mount';
import { serveNode } from '../../src/adapters/node.js';
import { describeProtocol } from './protocol-suite.js';

// Hono needs no adapter: it mounts the Fetch handler as it is. `replaceRequest: false` keeps the full
// URL (with `/v1`), which the core, configured with the same basePath, expects.
describeProtocol('hono', async (handler, basePath) => {
  const app = new Hono().all(`${basePath}/*`, mount(handler, { replaceRequest: false }));
  const server = await serveNode((request) => Promise.resolve(app.fetch(request)), {
    closeGraceMs: 500,
  });
  return { baseUrl: `${server.url}${basePath}`, close: () => server.close() };
});
