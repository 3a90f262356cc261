import type { Pool } from 'pg';
import {
  DURATION_COUNTS_RETENTION_MS,
  DURATION_HISTORY_RETENTION_MS,
  DURATION_PRUNE_INTERVAL_MS,
  durationWrites,
  groupHistory,
  HOUR_MS,
  parsePathKey,
} from '../../protocol/durations.js';
import type {
  DurationCount,
  DurationCountQuery,
  DurationHistory,
  DurationSample,
  DurationStatus,
} from '../store.js';
import type { SqlNames } from './postgres-config.js';
import { rows, type Statement, statement } from './postgres-connection.js';
import {
  durationCountsSql,
  pruneDurationsSql,
  recentDurationsSql,
  recordDurationsSql,
} from './queries/durations.js';

/** The durations tables of migration 0003 on PostgreSQL, for one schema. */
export class PostgresDurations {
  readonly #sql: Record<'record' | 'prune' | 'recent' | 'counts', Statement>;
  #prunedAt = 0;

  constructor(names: SqlNames) {
    this.#sql = {
      record: statement('recordDurations', recordDurationsSql(names)),
      prune: statement('pruneDurations', pruneDurationsSql(names)),
      recent: statement('recentDurations', recentDurationsSql(names)),
      counts: statement('durationCounts', durationCountsSql(names)),
    };
  }

  async record(pool: Pool, samples: readonly DurationSample[]): Promise<void> {
    if (samples.length === 0) return;
    const { increments, history } = durationWrites(samples);
    await rows(pool, this.#sql.record, [
      increments.map((row) => row.tenant),
      increments.map((row) => row.hour),
      increments.map((row) => row.kind),
      increments.map((row) => row.path),
      increments.map((row) => row.status),
      increments.map((row) => row.bucket),
      increments.map((row) => row.count),
      history.map((entry) => entry.kind),
      history.map((entry) => entry.path),
      history.map((entry) => entry.durationMs),
      history.map((entry) => entry.endedAt),
    ]);
    const now = Date.now();
    if (now - this.#prunedAt >= DURATION_PRUNE_INTERVAL_MS) {
      this.#prunedAt = now;
      await rows(pool, this.#sql.prune, [
        now - DURATION_COUNTS_RETENTION_MS,
        now - DURATION_HISTORY_RETENTION_MS,
      ]);
    }
  }

  async recent(pool: Pool, kind: string): Promise<DurationHistory[]> {
    return groupHistory(
      await rows<{ path: string; durationMs: number }>(pool, this.#sql.recent, [kind]),
    );
  }

  async counts(pool: Pool, query: DurationCountQuery): Promise<DurationCount[]> {
    // An hour (its start in `hour`) counts when it ends after `since`.
    const found = await rows<{
      kind: string;
      path: string;
      status: DurationStatus;
      bucket: number;
      count: number;
    }>(pool, this.#sql.counts, [query.tenant, query.since - HOUR_MS]);
    return found.map((row) => ({ ...row, path: parsePathKey(row.path) }));
  }
}
