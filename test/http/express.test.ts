import express from 'express';
import { expressMiddleware } from '../../src/adapters/express.js';
import { listenOnLoopback } from '../helpers/servers.js';
import { describeProtocol } from './protocol-suite.js';

describeProtocol('express', async (handler, basePath) => {
  const app = express();
  app.use(basePath, expressMiddleware(handler));
  const server = await listenOnLoopback(app);
  return { baseUrl: `${server.url}${basePath}`, close: () => server.close() };
});
