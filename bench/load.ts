import autocannon from 'autocannon';

/** Load settings shared by every HTTP measurement, for the bare server and longrun alike. */
export const LOAD = {
  connections: 50,
  pipelining: 1,
  warmupSeconds: 2,
  seconds: 5,
  /** Each throughput is measured this many times, alternating servers; the best run counts. */
  rounds: 2,
} as const;

export interface LoadRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Caps the request rate (requests/s over all connections): used for latency, not throughput. */
  overallRate?: number;
  connections?: number;
  seconds?: number;
  /** Warm up first (default true): the first round of each measurement. */
  warmup?: boolean;
  /** Runs between the warm-up and the measurement (e.g. resetting the server's counters). */
  beforeMeasure?: () => Promise<unknown>;
}

export interface LoadResult {
  /** Completed requests per second. */
  rps: number;
  /** Share of answers with the expected status (anything else is reported, not hidden). */
  expectedShare: number;
  statuses: string;
  errors: number;
}

/** Runs autocannon once, after a short warm-up with the same request; counts answers by status. */
export async function drive(request: LoadRequest, expectedStatus: number): Promise<LoadResult> {
  const options = {
    url: request.url,
    method: request.method,
    headers: request.headers ?? {},
    connections: request.connections ?? LOAD.connections,
    pipelining: LOAD.pipelining,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.overallRate === undefined ? {} : { overallRate: request.overallRate }),
  };
  if (request.warmup !== false) await autocannon({ ...options, duration: LOAD.warmupSeconds });
  await request.beforeMeasure?.();
  const result = await autocannon({ ...options, duration: request.seconds ?? LOAD.seconds });
  const counts = Object.entries(result.statusCodeStats);
  const total = counts.reduce((sum, [, { count }]) => sum + count, 0);
  const expected = result.statusCodeStats[String(expectedStatus)]?.count ?? 0;
  return {
    rps: result.requests.total / result.duration,
    expectedShare: total === 0 ? 0 : expected / total,
    statuses: counts.map(([code, { count }]) => `${code}x${count}`).join(' '),
    errors: result.errors + result.timeouts,
  };
}

export const jsonPost = (url: string) => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': 'application/json' },
  body: '{}',
});
