/**
 * A longrun worker process for the bench, as `longrun worker --db postgres://... --concurrency 64`
 * runs one. The store is opened and migrated before `ready`; the worker starts claiming on `go`.
 */
import { createLongrun } from '../../src/index.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { BodyRecorder, childEnv, serveParent, tellParent } from './child-ipc.js';
import { benchOperations } from './noop-operations.js';

const recorder = new BodyRecorder();
const { noop, hold } = benchOperations(recorder);
const store = new PostgresStore({ connectionString: childEnv.url(), schema: childEnv.schema() });
await store.migrate();
const longrun = createLongrun({
  store,
  operations: [noop, hold],
  worker: { concurrency: childEnv.concurrency() },
  migrate: false,
  onEvent: (event) => {
    if (event.type === 'worker:error') console.error(event);
  },
});
serveParent(recorder, {
  go: () => longrun.start(),
  stop: () => longrun.stop(1000),
});
tellParent({ type: 'ready' });
