import type { DurationCount, DurationSample, DurationStatus } from '../store/store.js';

/**
 * The arithmetic of persisted durations, shared by every store and by the HTTP layer, so that the
 * engines keep exactly the same numbers:
 *
 * - **History** (what estimates read): the most recent successful durations per kind and step path,
 *   at most DURATION_HISTORY_LIMIT of them, kind-wide (all tenants), so estimates adapt.
 * - **Counts** (what `GET R/stats` reads): per tenant, kind, step path, status and hour, a histogram
 *   of durations over logarithmic buckets about 5 % wide. Counts are exact; percentiles read from the
 *   histogram are within about 2.5 % of the exact value.
 */

/** Successful durations kept per kind and step path for estimates (older ones are deleted). */
export const DURATION_HISTORY_LIMIT = 100;
/** Successful durations read back per kind at most, whatever the number of distinct step paths. */
export const DURATION_HISTORY_READ_LIMIT = 10_000;
/** Hourly counts older than this are deleted: the longest stats window is 30 days. */
export const DURATION_COUNTS_RETENTION_MS = 31 * 24 * 3_600_000;
/** Successful durations of a kind that has not run for this long are deleted. */
export const DURATION_HISTORY_RETENTION_MS = 90 * 24 * 3_600_000;
/** How often a store deletes what is past retention (on a write, at most once per this interval). */
export const DURATION_PRUNE_INTERVAL_MS = 3_600_000;

export const HOUR_MS = 3_600_000;
const BUCKET_GROWTH = 1.05;
const LOG_GROWTH = Math.log(BUCKET_GROWTH);

/** The persisted form of a step path (titles from the top-level step down; `[]` = the operation). */
export const pathKey = (path: readonly string[]): string => JSON.stringify(path);

export function parsePathKey(key: string): string[] {
  const parsed: unknown = JSON.parse(key);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** Start of the hour (epoch ms) that `time` falls in. */
export const hourOf = (time: number): number => Math.floor(time / HOUR_MS) * HOUR_MS;

/** Histogram bucket of a duration: 0 below 1 ms, then bucket b holds [1.05^(b-1), 1.05^b) ms. */
export function durationBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  return 1 + Math.floor(Math.log(ms) / LOG_GROWTH + 1e-9);
}

/** The value a bucket stands for: its geometric middle (0 for bucket 0). */
export function bucketValueMs(bucket: number): number {
  return bucket <= 0 ? 0 : BUCKET_GROWTH ** (bucket - 0.5);
}

/** One row to add to the hourly histogram of a store. */
export interface CountIncrement {
  tenant: string;
  kind: string;
  path: string;
  status: DurationStatus;
  hour: number;
  bucket: number;
  count: number;
}

/** A success to append to the history of its kind and step path. */
export interface HistoryEntry {
  kind: string;
  path: string;
  durationMs: number;
  endedAt: number;
}

/**
 * What a batch of samples writes: every sample is counted (all outcomes feed the stats), only
 * successes join the history (a failed or canceled run says little about how long success takes),
 * and of those only the newest DURATION_HISTORY_LIMIT per kind and path: the store would trim the
 * older ones right away (a busy kind finishes thousands per batch). Increments are merged per row and
 * sorted, so concurrent writers lock rows in the same order.
 */
export function durationWrites(samples: readonly DurationSample[]): {
  increments: CountIncrement[];
  history: HistoryEntry[];
} {
  const merged = new Map<string, CountIncrement>();
  const history: HistoryEntry[] = [];
  for (const sample of samples) {
    const durationMs = Math.max(0, Math.round(sample.durationMs));
    const path = pathKey(sample.path);
    const row: CountIncrement = {
      tenant: sample.tenant,
      kind: sample.kind,
      path,
      status: sample.status,
      hour: hourOf(sample.endedAt),
      bucket: durationBucket(durationMs),
      count: 1,
    };
    const key = JSON.stringify([row.tenant, row.hour, row.kind, row.path, row.status, row.bucket]);
    const seen = merged.get(key);
    if (seen) seen.count++;
    else merged.set(key, row);
    if (sample.status === 'Succeeded') {
      history.push({ kind: sample.kind, path, durationMs, endedAt: sample.endedAt });
    }
  }
  const increments = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
  return { increments, history: newestOfEachPath(history) };
}

/** The last DURATION_HISTORY_LIMIT entries of each (kind, path), in their order. */
function newestOfEachPath(history: readonly HistoryEntry[]): HistoryEntry[] {
  if (history.length <= DURATION_HISTORY_LIMIT) return [...history];
  const kept: HistoryEntry[] = [];
  const counts = new Map<string, number>();
  for (let index = history.length - 1; index >= 0; index--) {
    const entry = history[index]!;
    const key = `${entry.kind}\u0000${entry.path}`;
    const count = counts.get(key) ?? 0;
    if (count >= DURATION_HISTORY_LIMIT) continue;
    counts.set(key, count + 1);
    kept.push(entry);
  }
  return kept.reverse();
}

/** The distinct (kind, path) pairs of a history batch: the ones whose history to trim. */
export function historyKeys(history: readonly HistoryEntry[]): { kind: string; path: string }[] {
  const keys = new Map<string, { kind: string; path: string }>();
  for (const { kind, path } of history) keys.set(JSON.stringify([kind, path]), { kind, path });
  return [...keys.values()];
}

/** Groups history rows (newest first) by path, keeping DURATION_HISTORY_LIMIT per path. */
export function groupHistory(
  rows: readonly { path: string; durationMs: number }[],
): { path: string[]; durationsMs: number[] }[] {
  const byPath = new Map<string, number[]>();
  for (const row of rows) {
    const durations = entryOf(byPath, row.path, () => []);
    if (durations.length < DURATION_HISTORY_LIMIT) durations.push(row.durationMs);
  }
  return [...byPath].map(([key, durationsMs]) => ({ path: parsePathKey(key), durationsMs }));
}

/** The median of some durations; undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Nearest-rank percentile (0 < p <= 1) of a histogram given as bucket -> count, as the value of the
 * bucket it falls in; undefined for an empty histogram.
 */
export function histogramPercentile(
  histogram: ReadonlyMap<number, number>,
  p: number,
): number | undefined {
  const buckets = [...histogram.keys()].sort((a, b) => a - b);
  const total = buckets.reduce((sum, bucket) => sum + histogram.get(bucket)!, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const bucket of buckets) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return bucketValueMs(bucket);
  }
  return bucketValueMs(buckets.at(-1)!);
}

/** The value of `key` in `map`, made and stored first when there is none. */
export function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Statuses a duration is counted under. */
export const DURATION_STATUSES: readonly DurationStatus[] = ['Succeeded', 'Failed', 'Canceled'];

/** Adds a store's count row to a histogram keyed by status. */
export function addCount(
  histograms: Map<DurationStatus, Map<number, number>>,
  row: Pick<DurationCount, 'status' | 'bucket' | 'count'>,
): void {
  const histogram = entryOf(histograms, row.status, () => new Map());
  histogram.set(row.bucket, (histogram.get(row.bucket) ?? 0) + row.count);
}
