import type BetterSqlite3 from 'better-sqlite3';
import {
  DURATION_COUNTS_RETENTION_MS,
  DURATION_HISTORY_LIMIT,
  DURATION_HISTORY_READ_LIMIT,
  DURATION_HISTORY_RETENTION_MS,
  DURATION_PRUNE_INTERVAL_MS,
  durationWrites,
  groupHistory,
  HOUR_MS,
  historyKeys,
  parsePathKey,
} from '../../protocol/durations.js';
import type {
  DurationCount,
  DurationCountQuery,
  DurationHistory,
  DurationSample,
  DurationStatus,
} from '../store.js';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/**
 * The durations tables of migration 0003 on SQLite. `record` is synchronous so the store runs it
 * inside a group commit, in the same transaction (and fsync) as the writes around it.
 */
export class SqliteDurations {
  readonly #sql: Record<
    'count' | 'sample' | 'trim' | 'recent' | 'counts' | 'pruneCounts' | 'pruneSamples',
    Statement
  >;
  #prunedAt = 0;

  constructor(db: Database) {
    const s = (text: string): Statement => db.prepare(text);
    this.#sql = {
      count: s(`INSERT INTO duration_counts (tenant, hour, kind, path, status, bucket, count)
        VALUES (@tenant, @hour, @kind, @path, @status, @bucket, @count)
        ON CONFLICT (tenant, hour, kind, path, status, bucket)
        DO UPDATE SET count = count + excluded.count`),
      sample: s(`INSERT INTO duration_samples (kind, path, duration_ms, ended_at)
        VALUES (@kind, @path, @durationMs, @endedAt)`),
      // Keeps the newest DURATION_HISTORY_LIMIT of one kind and path (served by duration_samples_by_path).
      trim: s(`DELETE FROM duration_samples WHERE kind = @kind AND path = @path AND seq <= (
        SELECT seq FROM duration_samples WHERE kind = @kind AND path = @path
        ORDER BY seq DESC LIMIT 1 OFFSET ${DURATION_HISTORY_LIMIT})`),
      recent: s(`SELECT path, duration_ms AS durationMs FROM duration_samples WHERE kind = ?
        ORDER BY seq DESC LIMIT ${DURATION_HISTORY_READ_LIMIT}`),
      counts: s(`SELECT kind, path, status, bucket, sum(count) AS count FROM duration_counts
        WHERE tenant = ? AND hour > ? GROUP BY kind, path, status, bucket`),
      pruneCounts: s('DELETE FROM duration_counts WHERE hour < ?'),
      pruneSamples: s('DELETE FROM duration_samples WHERE ended_at < ?'),
    };
  }

  /** Runs inside the caller's transaction. */
  record(samples: readonly DurationSample[], now: number): void {
    const { increments, history } = durationWrites(samples);
    for (const row of increments) this.#sql.count.run(row);
    for (const entry of history) this.#sql.sample.run(entry);
    for (const key of historyKeys(history)) this.#sql.trim.run(key);
    if (now - this.#prunedAt >= DURATION_PRUNE_INTERVAL_MS) {
      this.#prunedAt = now;
      this.#sql.pruneCounts.run(now - DURATION_COUNTS_RETENTION_MS);
      this.#sql.pruneSamples.run(now - DURATION_HISTORY_RETENTION_MS);
    }
  }

  recent(kind: string): DurationHistory[] {
    return groupHistory(this.#sql.recent.all(kind) as { path: string; durationMs: number }[]);
  }

  counts(query: DurationCountQuery): DurationCount[] {
    // An hour (its start in `hour`) counts when it ends after `since`.
    const rows = this.#sql.counts.all(query.tenant, query.since - HOUR_MS) as {
      kind: string;
      path: string;
      status: DurationStatus;
      bucket: number;
      count: number;
    }[];
    return rows.map((row) => ({ ...row, path: parsePathKey(row.path) }));
  }
}
