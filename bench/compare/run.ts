/**
 * `npm run bench:compare -- [--base <git ref>] [--mode 304|get|post] [--rounds N]`: is this change
 * faster? The working tree and another commit (default HEAD), each built, run as the bench's own
 * server next to the bare one; all three are loaded at the same time, on the same core, and each
 * one's CPU time per request is read from /proc. What slows the machine slows all three alike, so
 * their ratios hold to a few percent where throughput measured one after the other does not
 * (measured here: the same build read 0.63 to 0.83 of itself, by the order it ran in).
 * Linux only (/proc, taskset); `npm run bench` stays the figure the targets are read from.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchServer } from '../http-suite.js';
import { drive, jsonPost, type LoadRequest } from '../load.js';
import { checkOutAndBuild } from './base-build.js';

const MODES = ['304', 'get', 'post'] as const;
type Mode = (typeof MODES)[number];

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    mode: { type: 'string', default: '304' },
    rounds: { type: 'string', default: '7' },
  },
});
const mode = values.mode as Mode;
if (!MODES.includes(mode)) throw new Error(`--mode must be one of ${MODES.join(', ')}`);
const rounds = Number(values.rounds);
const SECONDS = 3;
const log = (line: string) => console.log(`[compare] ${line}`);

/** User + system CPU time of a process and all its threads, in microseconds. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
}

/** All servers share the last core, so each gets the same CPU and the same interference. */
function pinToLastCore(pid: number): void {
  const last = String(availableParallelism() - 1);
  execFileSync('taskset', ['-a', '-p', '-c', last, String(pid)], { stdio: 'ignore' });
}

async function loadFor(server: BenchServer): Promise<LoadRequest> {
  if (mode === 'post') return { ...jsonPost(`${server.url}/noop`), warmup: false };
  const target = await server.finishedOperation();
  const headers: Record<string, string> = mode === '304' ? { 'if-none-match': target.etag } : {};
  return { method: 'GET', url: target.url, headers, warmup: false };
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[values.length >> 1]!;

execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
const base = checkOutAndBuild(values.base, log);
const baseHook = join(base.root, 'bench', 'compiled-src.mjs');
// POSTs are compared on API nodes (`--workers 0`), as the bench's POST target is.
const env: Record<string, string> = mode === 'post' ? { BENCH_NO_WORKER: '1' } : {};
const servers = [
  await BenchServer.start('bare', './bare-server.ts'),
  await BenchServer.start(
    values.base,
    pathToFileURL(join(base.root, 'bench', 'longrun-server.ts')),
    env,
    ['--import', baseHook],
  ),
  await BenchServer.start('working tree', './longrun-server.ts', env),
];
try {
  // Not for POSTs: their WAL syncs run on another thread, which one shared core would serialise.
  if (mode !== 'post') for (const server of servers) pinToLastCore(server.pid);
  const loads = await Promise.all(servers.map(loadFor));
  const costs: number[][] = servers.map(() => []);
  log(`${mode}: ${rounds} rounds of ${SECONDS} s, all three at once (25 connections each)`);
  for (let round = 0; round <= rounds; round++) {
    const before = servers.map((server) => cpuMicros(server.pid));
    const expected = mode === 'post' ? 202 : mode === '304' ? 304 : 200;
    const results = await Promise.all(
      loads.map((load) => drive({ ...load, connections: 25, seconds: SECONDS }, expected)),
    );
    // Round 0 warms every server up and is not counted.
    if (round === 0) continue;
    const line = servers.map((server, i) => {
      const requests = results[i]!.rps * SECONDS;
      const cost = (cpuMicros(server.pid) - before[i]!) / requests;
      costs[i]!.push(cost);
      return `${server.name} ${cost.toFixed(1)} us`;
    });
    log(`round ${round}: CPU per request: ${line.join(', ')}`);
  }
  const [bare, older, newer] = costs as [number[], number[], number[]];
  const ratio = (a: number[], b: number[]) => median(a.map((value, i) => value / b[i]!));
  console.log(`
| CPU per request (${mode}), median of ${rounds} rounds | us | / bare | throughput / bare, CPU-bound |
|---|---:|---:|---:|
| bare node:http | ${median(bare).toFixed(1)} | 1.00 | 1.00 |
| ${values.base} | ${median(older).toFixed(1)} | ${ratio(older, bare).toFixed(2)} | ${ratio(bare, older).toFixed(2)} |
| working tree | ${median(newer).toFixed(1)} | ${ratio(newer, bare).toFixed(2)} | ${ratio(bare, newer).toFixed(2)} |

working tree / ${values.base}: ${ratio(newer, older).toFixed(3)} of the CPU per request.`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  base.remove();
}
