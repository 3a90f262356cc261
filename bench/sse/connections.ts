/**
 * Memory per open SSE connection: a longrun API node (stream-server.ts, SQLite) and a separate client
 * process (hold-connections.ts) that opens 10,000 `GET R/operations/{id}/events` streams (10 per
 * operation over 1,000 operations) and holds them. The server's memory after a full GC is read
 * before and while they are held; the difference over the count is the cost of one connection
 * (socket, request, stream, hub entry). RSS is what the target is about; JS heap is shown
 * too. A warm-up wave of connections is opened and closed first, so code and caches are not counted.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { forkBenchChild, nextMessage } from '../bench-child-process.js';
import type { Row } from '../table.js';

const CONNECTIONS = Number(process.env.BENCH_SSE_CONNECTIONS ?? 10_000);
const KIB = 1024;

interface Memory {
  rss: number;
  heapUsed: number;
}

function child(entry: string, execArgv: string[] = []): ChildProcess {
  return forkBenchChild(new URL(entry, import.meta.url), { execArgv });
}

/** The next IPC message of `type` from `from` (see nextMessage). */
async function next<T>(from: ChildProcess, type: string): Promise<T> {
  return (await nextMessage<{ type: string }, string>(from, type)) as T;
}

async function hold(url: string, ids: string[], count: number) {
  const client = child('./hold-connections.ts');
  await next(client, 'ready');
  client.send({ type: 'hold', url, ids, count });
  const held = await next<{ count: number; ms: number }>(client, 'held');
  return { client, held };
}

async function stop(process: ChildProcess): Promise<void> {
  if (process.exitCode !== null) return;
  process.send({ type: 'stop' });
  await once(process, 'exit');
}

export async function measureSseMemory(log: (line: string) => void): Promise<Row[]> {
  const server = child('./stream-server.ts', ['--expose-gc']);
  try {
    const { url, ids } = await next<{ url: string; ids: string[] }>(server, 'ready');
    const memory = async () => {
      server.send({ type: 'memory' });
      return (await next<{ memory: Memory }>(server, 'memory')).memory;
    };
    const warm = await hold(url, ids, 1000);
    await stop(warm.client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await memory();
    log(`SSE memory: opening ${CONNECTIONS} streams from a separate client process`);
    const { client, held } = await hold(url, ids, CONNECTIONS);
    const during = await memory();
    log(`SSE memory: ${held.count} streams held (opened in ${held.ms} ms)`);
    await stop(client);
    const perConnection = (key: keyof Memory) => (during[key] - before[key]) / held.count / KIB;
    return [
      {
        label: `memory per open SSE connection, KiB RSS (${held.count.toLocaleString('en-US')} held by a separate process; target < 20)`,
        baseline: undefined,
        longrun: perConnection('rss'),
        lowerIsBetter: true,
        digits: 1,
      },
      {
        label: 'memory per open SSE connection, KiB of JS heap',
        baseline: undefined,
        longrun: perConnection('heapUsed'),
        lowerIsBetter: true,
        digits: 1,
      },
    ];
  } finally {
    await stop(server);
  }
}
