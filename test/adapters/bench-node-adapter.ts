/**
 * Node adapter overhead: the same GET JSON and 304 answers from a bare node:http server and from
 * a trivial core behind serveNode(), measured with the autocannon CLI (each server in its own
 * process; runs alternate bare/adapter so drift hits both). With `taskset` and 2+ cores, the server
 * is pinned to CPU 0 and autocannon to CPU 1, so they do not steal each other's core.
 *
 *   node --import tsx test/adapters/bench-node-adapter.ts [seconds=10] [rounds=2]
 *   node --import tsx test/adapters/bench-node-adapter.ts serve bare|adapter   (one server, prints its URL)
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { serveNode } from '../../src/adapters/node.js';
import { empty, json } from '../../src/http/respond.js';

const ETAG = '"op_01J9Z-r7"';
const PATH = '/v1/operations/op_01J9Z';
const resource = {
  id: 'op_01J9Z',
  status: 'Running',
  createdDateTime: '2025-01-01T00:00:00.000Z',
  lastUpdatedDateTime: '2025-01-01T00:00:05.000Z',
  percentComplete: 40,
  steps: [
    { name: 'download', status: 'Succeeded' },
    { name: 'convert', status: 'Running' },
  ],
  links: { self: `http://127.0.0.1${PATH}`, cancel: `http://127.0.0.1${PATH}:cancel` },
};
const headers = { etag: ETAG, 'cache-control': 'private, no-cache', 'retry-after': '1' };

async function serve(kind: string): Promise<string> {
  if (kind === 'adapter') {
    const running = await serveNode(async (request) =>
      request.headers.get('if-none-match') === ETAG
        ? empty(304, headers)
        : json(resource, 200, headers),
    );
    return running.url;
  }
  const server = createServer((req, res) => {
    if (req.headers['if-none-match'] === ETAG) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = JSON.stringify(resource);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      ...headers,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const pin = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
const onCpu = (cpu: number, command: string[]) =>
  pin ? ['taskset', '-c', String(cpu), ...command] : command;

async function startServer(kind: string) {
  const [command, ...args] = onCpu(0, [
    process.execPath,
    '--import',
    'tsx',
    import.meta.filename,
    'serve',
    kind,
  ]);
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const url = (await lines.next()).value as string;
  return { url, pid: child.pid!, stop: () => child.kill() };
}

/** CPU seconds a process has used (user + system), from /proc; NaN where there is no /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100/s)
  } catch {
    return Number.NaN;
  }
}

interface Run {
  rps: number;
  /** Server CPU microseconds per answered request: robust when other processes share the machine. */
  cpuMicros: number;
}

function load(server: { url: string; pid: number }, seconds: number, extra: string[]): Run {
  const [command, ...args] = onCpu(1, [
    'node_modules/.bin/autocannon',
    ...['-c', '50', '-d', String(seconds), '-j', ...extra, server.url + PATH],
  ]);
  const cpuBefore = cpuSeconds(server.pid);
  const result = spawnSync(command!, args, { encoding: 'utf8' });
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const report = JSON.parse(result.stdout) as Record<string, number> & {
    requests: { average: number; total: number };
  };
  const expected = extra.length === 0 ? report['2xx']! : report['3xx']!;
  if (expected < report.requests.total * 0.99)
    throw new Error(`unexpected statuses: ${result.stdout}`);
  return { rps: report.requests.average, cpuMicros: (cpu * 1e6) / report.requests.total };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') {
    process.once('SIGTERM', () => process.exit(0)); // exit cleanly, so --cpu-prof can write its file
    process.stdout.write(`${await serve(process.argv[3] ?? 'bare')}\n`);
    return;
  }
  const seconds = Number(process.argv[2] ?? 10);
  const rounds = Number(process.argv[3] ?? 2);
  const cases = { 'GET 200 JSON': [], '304 empty': ['-H', `if-none-match=${ETAG}`] };
  const print = (line: string) => process.stdout.write(`${line}\n`);
  for (const [label, extra] of Object.entries(cases)) {
    const totals = { bare: { rps: 0, cpuMicros: 0 }, adapter: { rps: 0, cpuMicros: 0 } };
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['bare', 'adapter'] as const) {
        const server = await startServer(kind);
        load(server, 3, extra); // warm-up: JIT, sockets
        const run = load(server, seconds, extra);
        server.stop();
        totals[kind].rps += run.rps / rounds;
        totals[kind].cpuMicros += run.cpuMicros / rounds;
        print(
          `${label} round ${round + 1} ${kind}: ${run.rps.toFixed(0)} req/s, ${run.cpuMicros.toFixed(1)} µs CPU/req`,
        );
      }
    }
    const { bare, adapter } = totals;
    print(
      `${label}: req/s bare ${bare.rps.toFixed(0)} adapter ${adapter.rps.toFixed(0)} ratio ${(adapter.rps / bare.rps).toFixed(3)}; ` +
        `CPU/req bare ${bare.cpuMicros.toFixed(1)} µs adapter ${adapter.cpuMicros.toFixed(1)} µs ratio ${(bare.cpuMicros / adapter.cpuMicros).toFixed(3)}`,
    );
  }
}

await main();
