/**
 * Completion-to-SSE-event latency: from the instant an operation's code returns (its result carries
 * that instant) to the instant a client following `GET R/operations/{id}/events` over loopback has
 * parsed the `status` event that says it is done. It covers the finish write (durable), the change
 * signal, the read of the event log and the HTTP write. Measured one operation at a time.
 *   same process: SQLite, in-process worker, the stream served by the same process;
 *   across nodes: PostgreSQL, a `longrun worker` child runs the operations, this process is the API
 *   node serving the stream (NOTIFY carries the wake-up between them). Needs DATABASE_URL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { serveNode } from '../../src/adapters/node.js';
import { createLongrun, type Longrun } from '../../src/index.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { SseClient } from '../../test/helpers/sse-client.js';
import { CHILD_EXEC_ARGV } from '../bench-child-process.js';
import type { Row } from '../table.js';
import { completingOperation, preciseNow } from './completing-operation.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLES = Number(process.env.BENCH_SSE_SAMPLES ?? 300);
const WARMUP = 20;

export async function measureSseLatency(log: (line: string) => void): Promise<Row[]> {
  log(`SSE latency, same process (SQLite): ${SAMPLES} operations`);
  const local = await sameProcess();
  const rows = latencyRows('same process', local.total, 5);
  // The part after the durable finish write: signal, log read, HTTP write, client parse.
  rows.push(
    ...latencyRows('same process', local.afterFinish).map((row) => ({
      ...row,
      label: row.label.replace('completion-to-SSE-event', 'finish-committed-to-SSE-event'),
    })),
  );
  const url = process.env.DATABASE_URL;
  if (!url) {
    for (const row of latencyRows('across two nodes on PostgreSQL', [], 20)) {
      rows.push({ ...row, skipped: 'DATABASE_URL is not set' });
    }
    return rows;
  }
  log(`SSE latency, across nodes (PostgreSQL worker process -> API node): ${SAMPLES} operations`);
  rows.push(...latencyRows('across two nodes on PostgreSQL', (await acrossNodes(url)).total, 20));
  return rows;
}

function latencyRows(where: string, samples: number[], targetMs?: number): Row[] {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return [50, 99].map((q) => ({
    label: `completion-to-SSE-event p${q} ms, ${where}${q === 50 && targetMs ? ` (target < ${targetMs})` : ''}`,
    baseline: undefined,
    longrun: at(q / 100),
    lowerIsBetter: true,
    digits: 2,
  }));
}

async function sameProcess(): Promise<Samples> {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-bench-sse-'));
  const finishedAt = new Map<string, number>();
  const longrun = createLongrun({
    store: new SqliteStore(join(dir, 'bench.db')),
    operations: [completingOperation],
    worker: { concurrency: 8 },
    onEvent: (event) => {
      if (event.type === 'operation:finished') finishedAt.set(event.id, preciseNow());
    },
  });
  try {
    return await sample(longrun, finishedAt);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function acrossNodes(url: string): Promise<Samples> {
  const schema = `lr_bench_sse_${process.pid}`;
  const longrun = createLongrun({
    store: new PostgresStore({ connectionString: url, schema }),
    operations: [completingOperation],
    worker: false,
  });
  await longrun.store.migrate();
  const worker = spawn(
    process.execPath,
    [
      ...CHILD_EXEC_ARGV,
      'dist/cli/main.js',
      'worker',
      '--db',
      url,
      '--schema',
      schema,
      '--operations',
      'bench/sse/completing-operation.ts',
      '--concurrency',
      '8',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    for await (const line of createInterface({ input: worker.stdout! })) {
      if (line.startsWith('longrun worker running')) break;
    }
    worker.stdout!.resume();
    return await sample(longrun);
  } finally {
    worker.kill('SIGKILL');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

interface Samples {
  /** From the operation's code returning to the client parsing the `status` event saying done. */
  total: number[];
  /** From the finish being committed (the worker's `operation:finished`), when known. */
  afterFinish: number[];
}

/** Runs operations one at a time, each followed by a stream from start to end. */
async function sample(longrun: Longrun, finishedAt?: Map<string, number>): Promise<Samples> {
  await longrun.start();
  const server = await serveNode(longrun.handler, { closeGraceMs: 200 });
  const latencies: Samples = { total: [], afterFinish: [] };
  try {
    for (let run = 0; run < WARMUP + SAMPLES; run++) {
      const record = await longrun.submit(completingOperation, { holdMs: 30 });
      const stream = await SseClient.open(`${server.url}/operations/${record.id}/events`);
      await stream.ended;
      const [snapshot] = stream.events;
      const done = stream.events.find((event) => event.type === 'done');
      const ended = stream.events.find((e) => e.type === 'status' && JSON.parse(e.data).done);
      // Ended before the stream opened: nothing to time.
      if (!snapshot || !done || !ended || JSON.parse(snapshot.data).done) continue;
      const { completedAt } = JSON.parse(done.data).result as { completedAt: number };
      if (run < WARMUP) continue;
      latencies.total.push(ended.at - completedAt);
      const finished = finishedAt?.get(record.id);
      if (finished !== undefined) latencies.afterFinish.push(ended.at - finished);
    }
    return latencies;
  } finally {
    await server.close();
    await longrun.stop(1000);
  }
}
