/**
 * The PostgreSQL section of `npm run bench` (issue 3, point 7): longrun scaled out on PostgreSQL (two
 * API nodes, two worker processes) against graphile-worker and pg-boss running the same no-op workload
 * in the same run, on the same database, each in a schema of its own (dropped afterwards). Skipped,
 * with one plain line, when DATABASE_URL is not set. Targets are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { Row } from '../table.js';
import { percentile } from './children.js';
import { LATENCY_RATE, type LongrunNumbers, measureLongrun, WORKERS } from './measure-longrun.js';
import { type BossSetting, measureGraphile, measurePgBoss } from './measure-rivals.js';

/** pg-boss's defaults for each `work()` loop (one job per fetch, a fetch every 2 s), 64 loops a process. */
export const BOSS_DEFAULTS: BossSetting = { workers: 64, batch: 1, pollSeconds: 2 };
/**
 * pg-boss tuned for start latency: its shortest polling interval (0.5 s) and 64 polling loops a
 * process, so that a fetch comes every ~4 ms between the two processes, idle or not; each takes up to
 * 16 jobs. The best balance we found: 256 loops a process start sooner (~35 ms p50) but starve their
 * completions of pool connections, and bigger batches change little.
 */
export const BOSS_LOW_LATENCY: BossSetting = { workers: 64, batch: 16, pollSeconds: 0.5 };
/** The rivals drain the same backlog as longrun, up to this many jobs. */
const MAX_RIVAL_BACKLOG = 20_000;
/** How long a pg-boss setting may take on the backlog: it is rated on what it completes by then. */
const BOSS_WINDOW_MS = 8000;

type Measured<T> = T | { skipped: string };

async function attempt<T>(what: string, log: (line: string) => void, run: () => Promise<T>) {
  log(what);
  try {
    return await run();
  } catch (error) {
    log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { skipped: `failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function measurePostgres(log: (line: string) => void): Promise<Row[]> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    log('PostgreSQL section skipped: DATABASE_URL is not set.');
    return [];
  }
  const load = loadavg().map((value) => value.toFixed(1));
  log(`PostgreSQL section (load average ${load.join(' ')} at its start; the machine is shared)`);
  const suffix = randomBytes(4).toString('hex');
  const schemas = ['longrun', 'graphile', 'pgboss', 'pgboss_fast'].map(
    (n) => `${n}_bench_${suffix}`,
  );
  const [longrunSchema, graphileSchema, bossSchema, bossFastSchema] = schemas as [
    string,
    string,
    string,
    string,
  ];
  try {
    const longrun = await measureLongrun(url, longrunSchema, log);
    const backlog = Math.min(longrun.backlog, MAX_RIVAL_BACKLOG);
    const graphile = await attempt(`graphile-worker: ${backlog} no-op jobs`, log, () =>
      measureGraphile(url, graphileSchema, backlog),
    );
    const boss = await attempt('pg-boss at its defaults', log, () =>
      measurePgBoss(url, bossSchema, backlog, BOSS_DEFAULTS, BOSS_WINDOW_MS),
    );
    const bossFast = await attempt('pg-boss tuned for latency', log, () =>
      measurePgBoss(url, bossFastSchema, backlog, BOSS_LOW_LATENCY, BOSS_WINDOW_MS),
    );
    const rows = postgresRows(longrun, graphile, boss, bossFast);
    for (const line of notes(longrun, graphile)) log(line);
    return rows;
  } finally {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
  }
}

const p50 = (values: number[]) => percentile(values, 50);
const p99 = (values: number[]) => percentile(values, 99);

function compare(
  label: string,
  rival: Measured<{ completedPerSec: number; latencies: number[] }>,
  longrun: LongrunNumbers,
  target?: number,
): Row[] {
  const skipped = 'skipped' in rival ? { skipped: rival.skipped } : {};
  const numbers = 'skipped' in rival ? undefined : rival;
  const latency = (pick: (values: number[]) => number, name: string): Row => ({
    label: `PG submit-to-start ${name} ms at ${LATENCY_RATE}/s, POST to 2 API nodes (baseline: ${label})`,
    baseline: numbers && pick(numbers.latencies),
    longrun: pick(longrun.latencies),
    lowerIsBetter: true,
    digits: 1,
    ...skipped,
  });
  return [
    {
      label: `PG no-op completed/s, ${WORKERS} workers x 64 (baseline: ${label})`,
      baseline: numbers?.completedPerSec,
      longrun: longrun.completedPerSec,
      ...(target === undefined ? {} : { target }),
      ...skipped,
    },
    latency(p50, 'p50'),
    latency(p99, 'p99'),
  ];
}

function postgresRows(
  longrun: LongrunNumbers,
  graphile: Measured<{ completedPerSec: number; latencies: number[] }>,
  boss: Measured<{ completedPerSec: number; latencies: number[] }>,
  bossFast: Measured<{ completedPerSec: number; latencies: number[] }>,
): Row[] {
  return [
    {
      label: 'PG POST -> 202 req/s, 2 API nodes (durable)',
      baseline: undefined,
      longrun: longrun.postRps,
    },
    ...compare('graphile-worker', graphile, longrun, 2),
    {
      // The like-for-like row the latency target applies to: addJob is a library call too.
      label: `PG submit-to-start p50 ms at ${LATENCY_RATE}/s, longrun.submit() without HTTP (baseline: graphile-worker addJob)`,
      baseline: 'skipped' in graphile ? undefined : p50(graphile.latencies),
      longrun: p50(longrun.libraryLatencies),
      lowerIsBetter: true,
      target: 1,
      digits: 1,
      ...('skipped' in graphile ? { skipped: graphile.skipped } : {}),
    },
    ...compare('pg-boss defaults', boss, longrun),
    ...compare('pg-boss 0.5 s polling, 64 loops x 16', bossFast, longrun),
    {
      label: 'PG cancel on node A -> ctx.signal aborted on a worker, ms (median of 5)',
      baseline: undefined,
      longrun: p50(longrun.cancelMs),
      lowerIsBetter: true,
      digits: 1,
    },
  ];
}

function notes(
  longrun: LongrunNumbers,
  graphile: Measured<{ completedPerSec: number; latencies: number[] }>,
): string[] {
  const lines = [
    `PostgreSQL: longrun drained the ${longrun.backlog} operations its POST run created, each rival ${Math.min(longrun.backlog, MAX_RIVAL_BACKLOG)} jobs; POST answers: ${longrun.postErrors}; cancel ms: ${longrun.cancelMs.map((ms) => ms.toFixed(1)).join(', ')}.`,
  ];
  if (!('skipped' in graphile)) {
    const ratio = longrun.completedPerSec / graphile.completedPerSec;
    const library = p50(longrun.libraryLatencies);
    const latencyMet = library <= p50(graphile.latencies);
    lines.push(
      `PostgreSQL targets: completed/s >= 2x graphile-worker: ${ratio.toFixed(2)}x (${ratio >= 2 ? 'met' : 'NOT met'}); submit-to-start p50 <= graphile-worker's, both submitted by a library call: ${library.toFixed(1)} vs ${p50(graphile.latencies).toFixed(1)} ms (${latencyMet ? 'met' : 'NOT met'}); through an API node's HTTP, which adds a request: ${p50(longrun.latencies).toFixed(1)} ms.`,
    );
  }
  return lines;
}
