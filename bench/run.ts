/**
 * `npm run bench`: the real longrun server against a bare node:http server answering the same shapes,
 * both in child processes and driven by autocannon from this process with the same settings; then
 * no-op throughput through the library API against BullMQ on local Redis. Prints one markdown table.
 * Targets come from issue 2 and are printed, never asserted: this exits 0 when they are missed.
 */
import { cpus } from 'node:os';
import { measureHttp } from './http-rounds.js';
import { LATENCY_RATE } from './http-suite.js';
import { measureLibrary, redisAddress } from './library-rounds.js';
import { LOAD } from './load.js';
import { measurePostgres } from './postgres/index.js';
import { measureSseMemory } from './sse/connections.js';
import { measureSseLatency } from './sse/latency.js';
import { type Row, renderTable } from './table.js';

const log = (line: string) => console.error(`[bench] ${line}`);
const started = Date.now();
log(
  `node ${process.version}, ${cpus().length} cores; ${LOAD.connections} connections, pipelining ${LOAD.pipelining}, ${LOAD.warmupSeconds} s warm-up + ${LOAD.seconds} s per measurement, best of ${LOAD.rounds} alternating rounds`,
);
const { bare, longrun, apiNode } = await measureHttp(log);
log('library API: longrun.submit() + worker (no HTTP) against BullMQ');
const { longrun: lib, bullmq: bull } = await measureLibrary(log);
const bullNumbers = typeof bull === 'string' ? undefined : bull;
const libNumbers = typeof lib === 'string' ? undefined : lib;
const noRedis = typeof bull === 'string' ? { skipped: bull } : {};

const rows: Row[] = [
  {
    label: 'POST -> 202 req/s (durable), API node (--workers 0)',
    baseline: bare.post.rps,
    longrun: apiNode.post.rps,
    target: 0.7,
  },
  {
    label: 'POST -> 202 req/s (durable), in-process worker running them',
    baseline: bare.post.rps,
    longrun: longrun.post.rps,
  },
  { label: 'GET operation req/s', baseline: bare.get.rps, longrun: longrun.get.rps, target: 0.75 },
  {
    label: 'GET If-None-Match -> 304 req/s',
    baseline: bare.notModified.rps,
    longrun: longrun.notModified.rps,
    target: 0.85,
  },
  {
    label: 'no-op completed/s end to end (HTTP)',
    baseline: bare.completedPerSec,
    longrun: longrun.completedPerSec,
  },
  {
    label: `submit-to-start p50 ms (at ${LATENCY_RATE} req/s)`,
    baseline: bare.startP50,
    longrun: longrun.startP50,
    lowerIsBetter: true,
    digits: 1,
  },
  {
    label: `submit-to-start p99 ms (at ${LATENCY_RATE} req/s)`,
    baseline: bare.startP99,
    longrun: longrun.startP99,
    lowerIsBetter: true,
    digits: 1,
  },
  {
    label: 'library no-op processed/s (baseline: BullMQ)',
    baseline: bullNumbers?.processedPerSec,
    longrun: libNumbers?.processedPerSec,
    target: 1.2,
    ...noRedis,
  },
  {
    label: 'library enqueue/s (BullMQ addBulk vs longrun.submit)',
    baseline: bullNumbers?.enqueuePerSec,
    longrun: libNumbers?.enqueuePerSec,
    ...noRedis,
  },
];

rows.push(...(await measureSseLatency(log)), ...(await measureSseMemory(log)));
rows.push(...(await measurePostgres(log)));

console.log(`\n${renderTable(rows)}\n`);
const notes = [
  `Baseline: bare node:http server (no persistence) for HTTP rows; BullMQ ${typeof bull === 'string' ? `(skipped: ${bull})` : `on Redis ${redisAddress}`} for library rows (${libNumbers?.total ?? bullNumbers?.total ?? '?'} no-op jobs each, worker concurrency 64).`,
  ...(typeof lib === 'string' ? [`WARNING ${lib}`] : []),
  `End to end: the POST window's operations, from the first POST to the last Succeeded; backlog after the load stopped took bare ${bare.drainSeconds.toFixed(1)} s, longrun ${longrun.drainSeconds.toFixed(1)} s.`,
];
for (const [name, numbers] of [
  ['bare', bare],
  ['longrun', longrun],
] as const) {
  for (const [what, result] of [
    ['POST', numbers.post],
    ['GET', numbers.get],
    ['304', numbers.notModified],
  ] as const) {
    if (result.expectedShare < 0.999 || result.errors > 0) {
      notes.push(
        `WARNING ${name} ${what}: unexpected answers (${result.statuses}; ${result.errors} errors/timeouts).`,
      );
    }
  }
}
console.log(notes.join('\n'));
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
