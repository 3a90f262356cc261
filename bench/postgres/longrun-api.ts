/**
 * A longrun API node for the bench, as `longrun serve --db postgres://... --workers 0` runs one:
 * PostgresStore, no local worker, `POST /noop` and `POST /hold` start operations. Reports its URL.
 */
import { serveNode } from '../../src/adapters/node.js';
import { createLongrun } from '../../src/index.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { BodyRecorder, childEnv, serveParent, tellParent } from './child-ipc.js';
import { benchOperations } from './noop-operations.js';

const recorder = new BodyRecorder();
const { noop, hold } = benchOperations(recorder);
const longrun = createLongrun({
  store: new PostgresStore({ connectionString: childEnv.url(), schema: childEnv.schema() }),
  routes: [
    { method: 'POST', path: '/noop', operation: noop },
    { method: 'POST', path: '/hold', operation: hold },
  ],
  worker: false,
  onEvent: (event) => {
    if (event.type === 'http:error' || event.type === 'worker:error') console.error(event);
  },
});
await longrun.start();
const server = await serveNode(longrun.handler, { port: 0, host: '127.0.0.1' });
serveParent(recorder, {
  stop: async () => {
    await server.close();
    await longrun.stop(1000);
  },
});
tellParent({ type: 'ready', url: server.url });
