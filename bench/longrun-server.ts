/**
 * The real longrun server for the benchmark: SQLite (WAL, synchronous=FULL) on a temp file, a no-op
 * operation started by `POST /noop`, the in-process worker, served by the node:http adapter. Prints its
 * URL on stdout and reports completions to the parent over IPC (see tracker.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { serveNode } from '../src/adapters/node.js';
import { createLongrun, defineOperation } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { tellParent } from './ipc.js';
import { CompletionTracker } from './tracker.js';

const dir = mkdtempSync(join(tmpdir(), 'longrun-bench-'));
const noop = defineOperation({
  kind: 'noop',
  input: z.looseObject({}),
  run: async () => ({ ok: true }),
});
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
// An API node (`--workers 0`) runs nothing: for the tracker, an operation is done once acknowledged.
const apiNodeOnly = process.env.BENCH_NO_WORKER === '1';
let tracker: CompletionTracker | undefined;
const longrun = createLongrun({
  store: new SqliteStore(join(dir, 'bench.db')),
  routes: [{ method: 'POST', path: '/noop', operation: noop }],
  worker: apiNodeOnly ? false : { concurrency },
  onEvent: (event) => {
    if (event.type === 'operation:created') {
      tracker?.created();
      if (apiNodeOnly) tracker?.finished(event.id);
    } else if (event.type === 'operation:finished') tracker?.finished(event.id);
    else if (event.type === 'worker:error' || event.type === 'http:error') console.error(event);
  },
});
await longrun.start();
const server = await serveNode(longrun.handler, {
  port: Number(process.env.BENCH_PORT ?? 0),
  host: '127.0.0.1',
});

tracker = new CompletionTracker(
  async (ids) => {
    const latencies: number[] = [];
    for (const id of ids) {
      const found = await longrun.store.get('anonymous', id);
      if (found.outcome !== 'found') continue;
      const { createdAt, startedAt } = found.operation;
      if (startedAt !== undefined) latencies.push(startedAt - createdAt);
    }
    return latencies;
  },
  async () => {
    await server.close();
    await longrun.stop(2000);
    rmSync(dir, { recursive: true, force: true });
  },
);

console.log(server.url);
tellParent({ type: 'ready', url: server.url });
