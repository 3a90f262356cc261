/**
 * Child process of the SSE memory benchmark (connections.ts): a longrun API node on a temporary SQLite
 * file, with `BENCH_SSE_OPERATIONS` operations that never start (no worker), so streams on them stay
 * open. Talks over IPC: `ready` (url, ids) once listening; `memory` answers after a full GC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveNode } from '../../src/adapters/node.js';
import { createLongrun } from '../../src/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'longrun-bench-sse-mem-'));
const longrun = createLongrun({ store: new SqliteStore(join(dir, 'bench.db')), worker: false });
await longrun.start();
const count = Number(process.env.BENCH_SSE_OPERATIONS ?? 1000);
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const created = await longrun.store.create({
    tenant: 'anonymous',
    kind: 'bench.sse.idle',
    title: `Idle ${i}`,
    method: 'POST',
    input: {},
    steps: [{ id: '1', title: 'Wait', status: 'NotStarted' }],
    maxAttempts: 1,
  });
  if (created.outcome === 'created') ids.push(created.operation.id);
}
const server = await serveNode(longrun.handler, { closeGraceMs: 100 });

const gc = (globalThis as { gc?: () => void }).gc;
function memory() {
  for (let i = 0; i < 3; i++) gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

process.on('message', async (message: { type: string }) => {
  if (message.type === 'memory') process.send!({ type: 'memory', memory: memory() });
  if (message.type === 'stop') {
    await server.close();
    await longrun.stop(100);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send!({ type: 'ready', url: server.url, ids });
