import Fastify from 'fastify';
import { longrunFastify } from '../../src/adapters/fastify.js';
import { describeProtocol } from './protocol-suite.js';

describeProtocol('fastify', async (handler, basePath) => {
  const app = Fastify();
  await app.register(longrunFastify, { handler, prefix: basePath });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl: `${origin}${basePath}`, close: () => app.close() };
});
