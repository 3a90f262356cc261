import type { DurationCount, DurationStatus } from '../store/store.js';
import {
  addCount,
  DURATION_STATUSES,
  entryOf,
  HOUR_MS,
  histogramPercentile,
  hourOf,
} from './durations.js';
import { ProblemError } from './problem.js';

/** The longest window `GET R/stats` answers (counts are kept a day longer). */
export const MAX_STATS_WINDOW_MS = 30 * 24 * HOUR_MS;
export const DEFAULT_STATS_WINDOW = '24h';

const UNIT_MS: Record<string, number> = { m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS };

/** `30m`, `24h`, `7d`: a whole number of minutes, hours or days, up to 30 days; else a 400 problem. */
export function parseStatsWindow(raw: string | null): { text: string; ms: number } {
  const text = raw === null || raw === '' ? DEFAULT_STATS_WINDOW : raw.trim();
  const match = /^(\d{1,6})([mhd])$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : Number.NaN;
  if (!(ms > 0 && ms <= MAX_STATS_WINDOW_MS)) {
    throw new ProblemError(
      'InvalidArgument',
      `window "${raw}" is not a duration from 1m to 30d: use minutes, hours or days, e.g. "30m", "24h" or "7d".`,
      { target: 'window' },
    );
  }
  return { text, ms };
}

export interface StatsFigures {
  /** Runs that ended in the window, by outcome. */
  counts: Record<DurationStatus, number>;
  /** Percentiles of the successful runs' durations (about 2.5 % precise); absent without successes. */
  durationSeconds?: { p50: number; p95: number };
}

export interface StepStats extends StatsFigures {
  /** Titles from the top-level step down to this step. */
  path: string[];
  title: string;
}

export interface KindStats extends StatsFigures {
  kind: string;
  steps: StepStats[];
}

export interface StatsDocument {
  window: string;
  /** Counts are kept per hour: the window starts at the beginning of the hour it falls in. */
  from: string;
  to: string;
  kinds: KindStats[];
}

const round3 = (ms: number) => Math.round(ms) / 1000;

function figures(histograms: Map<DurationStatus, Map<number, number>>): StatsFigures {
  const counts = {} as Record<DurationStatus, number>;
  for (const status of DURATION_STATUSES) {
    let total = 0;
    for (const count of histograms.get(status)?.values() ?? []) total += count;
    counts[status] = total;
  }
  const succeeded = histograms.get('Succeeded');
  const p50 = succeeded && histogramPercentile(succeeded, 0.5);
  const p95 = succeeded && histogramPercentile(succeeded, 0.95);
  if (p50 === undefined || p95 === undefined) return { counts };
  return { counts, durationSeconds: { p50: round3(p50), p95: round3(p95) } };
}

/**
 * The `GET R/stats` document from a store's histogram rows: per kind (sorted), its operations' counts
 * by outcome and duration percentiles, and the same per step path (sorted by path).
 */
export function statsDocument(
  rows: readonly DurationCount[],
  window: { text: string; ms: number },
  now: number,
): StatsDocument {
  const kinds = new Map<string, Map<string, Map<DurationStatus, Map<number, number>>>>();
  for (const row of rows) {
    const paths = entryOf(kinds, row.kind, () => new Map());
    addCount(
      entryOf(paths, JSON.stringify(row.path), () => new Map()),
      row,
    );
  }
  const body: KindStats[] = [...kinds.keys()].sort().map((kind) => {
    const paths = kinds.get(kind)!;
    const steps = [...paths.keys()]
      .filter((key) => key !== '[]')
      .sort()
      .map((key): StepStats => {
        const path = JSON.parse(key) as string[];
        return { path, title: path.at(-1) ?? '', ...figures(paths.get(key)!) };
      });
    return { kind, ...figures(paths.get('[]') ?? new Map()), steps };
  });
  return {
    window: window.text,
    from: new Date(hourOf(now - window.ms)).toISOString(),
    to: new Date(now).toISOString(),
    kinds: body,
  };
}
