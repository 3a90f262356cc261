import { serveNode } from '../../src/adapters/node.js';
import { describeProtocol } from './protocol-suite.js';

// The standalone node:http server: the core sees every path, so it serves `/v1` itself.
describeProtocol('node:http', async (handler, basePath) => {
  const server = await serveNode(handler, { closeGraceMs: 500 });
  return { baseUrl: `${server.url}${basePath}`, close: () => server.close() };
});
