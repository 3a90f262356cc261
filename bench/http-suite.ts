import { BenchChild, type ServerStats } from './ipc.js';
import { drive, jsonPost, type LoadResult } from './load.js';

/** Rate of the submit-to-start measurement: a steady load the worker keeps up with, not saturation. */
export const LATENCY_RATE = 500;

export interface PostNumbers {
  post: LoadResult;
  /** Operations finished per second, from the first POST of the measurement to the last finish. */
  completedPerSec: number;
  /** Seconds the server needed after the load stopped to finish the backlog. */
  drainSeconds: number;
}

/** One bench server child (bare-server.ts or longrun-server.ts) and the measurements run against it. */
export class BenchServer {
  readonly name: string;
  readonly url: string;
  readonly #child: BenchChild;

  private constructor(name: string, url: string, child: BenchChild) {
    this.name = name;
    this.url = url;
    this.#child = child;
  }

  static async start(
    name: string,
    entry: string | URL,
    env: Record<string, string> = {},
    execArgv: string[] = [],
  ): Promise<BenchServer> {
    const child = BenchChild.fork(entry, env, execArgv);
    const { url } = await child.next('ready');
    if (!url) throw new Error(`${entry} did not report its URL`);
    return new BenchServer(name, url, child);
  }

  /** POST -> 202 at full load; the worker runs meanwhile, so the same window gives end-to-end throughput. */
  async post(warmup: boolean): Promise<PostNumbers> {
    const reset = () => this.#child.ask({ type: 'reset' });
    const post = await drive(
      { ...jsonPost(`${this.url}/noop`), warmup, beforeMeasure: reset },
      202,
    );
    const loadEnded = Date.now();
    const e2e = await this.#child.ask({ type: 'drain', timeoutMs: 60_000 });
    const drainSeconds = Math.max(0, ((e2e.lastFinishedAt ?? loadEnded) - loadEnded) / 1000);
    return { post, completedPerSec: completedRate(e2e), drainSeconds };
  }

  /** Submit-to-start latency (startTime - createdDateTime, from the records) at a steady request rate. */
  async startLatency(): Promise<{ p50: number; p99: number }> {
    const reset = () => this.#child.ask({ type: 'reset' });
    const steady = { overallRate: LATENCY_RATE, connections: 10, seconds: 3, beforeMeasure: reset };
    await drive({ ...jsonPost(`${this.url}/noop`), ...steady }, 202);
    await this.#child.ask({ type: 'drain', timeoutMs: 30_000 });
    const { startLatencyMs } = await this.#child.ask({ type: 'stats', latencies: true });
    return { p50: percentile(startLatencyMs, 50), p99: percentile(startLatencyMs, 99) };
  }

  /** Creates one operation, lets it finish, and returns its URL and ETag for the GET measurements. */
  async finishedOperation(): Promise<{ url: string; etag: string }> {
    const { headers, body } = jsonPost(this.url);
    const created = await fetch(`${this.url}/noop`, { method: 'POST', headers, body });
    const { id } = (await created.json()) as { id: string };
    await this.#child.ask({ type: 'drain', timeoutMs: 10_000 });
    const url = `${this.url}/operations/${id}`;
    const read = await fetch(url);
    await read.arrayBuffer();
    return { url, etag: read.headers.get('etag') ?? '' };
  }

  /** The server's process id (to read its CPU time). */
  get pid(): number {
    return this.#child.pid;
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function completedRate(stats: ServerStats): number {
  if (stats.firstCreatedAt === undefined || stats.lastFinishedAt === undefined) return 0;
  return stats.finished / ((stats.lastFinishedAt - stats.firstCreatedAt) / 1000);
}
