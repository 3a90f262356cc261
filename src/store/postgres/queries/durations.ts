import {
  DURATION_HISTORY_LIMIT,
  DURATION_HISTORY_READ_LIMIT,
} from '../../../protocol/durations.js';
import type { SqlNames } from '../postgres-config.js';

/**
 * The durations statements of migration 0003 (see protocol/durations.ts for what is kept and why).
 *
 * recordDurations: one round trip and one commit add a batch to the hourly histogram ($1..$7, rows
 * merged and sorted by key beforehand, so two workers lock the rows they share in the same order and
 * cannot deadlock on them), append the successes to the history ($8..$11), and trim the history of
 * each (kind, path) the batch touches to its newest DURATION_HISTORY_LIMIT. Data-modifying CTEs
 * always run and share one snapshot, so the trim counts the rows that were there before this batch:
 * between two batches a path holds at most the limit plus one batch (reads keep the newest `limit`
 * anyway). The cut-off is looked up once per path (an index range scan of duration_samples_by_path):
 * MATERIALIZED, because inlined, the planner evaluated it again for every row of the path (EXPLAIN
 * ANALYZE with 105 rows: 6 ms and 10,605 heap fetches, against 0.4 ms materialized).
 */
export const recordDurationsSql = (names: SqlNames) => `
WITH counted AS (
  INSERT INTO ${names.schema}.duration_counts AS c (tenant, hour, kind, path, status, bucket, count)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],
    $6::integer[], $7::bigint[])
  ON CONFLICT (tenant, hour, kind, path, status, bucket) DO UPDATE SET count = c.count + excluded.count
  RETURNING 1
), sampled AS (
  INSERT INTO ${names.schema}.duration_samples (kind, path, duration_ms, ended_at)
  SELECT * FROM unnest($8::text[], $9::text[], $10::bigint[], $11::bigint[])
  RETURNING 1
), cutoffs AS MATERIALIZED (
  SELECT k.kind, k.path, (SELECT x.seq FROM ${names.schema}.duration_samples x
      WHERE x.kind = k.kind AND x.path = k.path
      ORDER BY x.seq DESC OFFSET ${DURATION_HISTORY_LIMIT} LIMIT 1) AS seq
  FROM (SELECT DISTINCT kind, path FROM unnest($8::text[], $9::text[]) AS h (kind, path)) AS k
), trimmed AS (
  DELETE FROM ${names.schema}.duration_samples d USING cutoffs c
  WHERE d.kind = c.kind AND d.path = c.path AND d.seq <= c.seq
  RETURNING 1
)
SELECT (SELECT count(*) FROM counted)::integer AS counted,
  (SELECT count(*) FROM sampled)::integer AS sampled, (SELECT count(*) FROM trimmed)::integer AS trimmed`;

/** Deletes hourly counts before $1 and successes that ended before $2 (epoch ms). */
export const pruneDurationsSql = (names: SqlNames) => `
WITH counts AS (DELETE FROM ${names.schema}.duration_counts WHERE hour < $1::bigint RETURNING 1),
samples AS (DELETE FROM ${names.schema}.duration_samples WHERE ended_at < $2::bigint RETURNING 1)
SELECT (SELECT count(*) FROM counts)::integer AS counts, (SELECT count(*) FROM samples)::integer AS samples`;

/** The newest successes of kind $1, all paths, newest first (bounded by the trim and by a limit). */
export const recentDurationsSql = (names: SqlNames) => `
SELECT path, duration_ms::float8 AS "durationMs" FROM ${names.schema}.duration_samples
WHERE kind = $1 ORDER BY seq DESC LIMIT ${DURATION_HISTORY_READ_LIMIT}`;

/** Tenant $1's histogram over the hours that start after $2 (epoch ms). */
export const durationCountsSql = (names: SqlNames) => `
SELECT kind, path, status, bucket, sum(count)::float8 AS count FROM ${names.schema}.duration_counts
WHERE tenant = $1 AND hour > $2::bigint GROUP BY kind, path, status, bucket`;
