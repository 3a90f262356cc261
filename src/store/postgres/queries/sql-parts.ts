import { quoteLiteral, type SqlNames } from '../postgres-config.js';

/**
 * The database clock in epoch ms. Leases and run_after are judged by this one clock, so API nodes and
 * workers whose own clocks disagree still agree on when a lease expires. statement_timestamp(): one
 * instant for the whole statement, so created_at = updated_at on insert as in SqliteStore. floor, not
 * round: a row is never stamped in a millisecond that has not begun.
 */
export const NOW_MS = '(floor(extract(epoch FROM statement_timestamp()) * 1000))::bigint';

/** percentComplete never decreases (PROTOCOL.md section 3): a lower report keeps the stored value. */
export const keepHighestPercent = (incoming: string) =>
  `percent = CASE WHEN ${incoming} IS NULL THEN o.percent ELSE greatest(coalesce(o.percent, 0), ${incoming}) END`;

/** An entombed operation reads as gone: past its retention, whether or not expire() has run yet. */
export const ENTOMBED = `(tombstone_until IS NOT NULL OR expires_at <= ${NOW_MS})`;

/**
 * A CTE named `name` that NOTIFYs the `created` signals of the rows `(id, tenant, kind)` of `changes`
 * on both channels, in the inserting statement itself: a waiting worker hears of new work at the
 * commit, not a round trip later (every other signal goes after its commit, see SignalSender, whose
 * payload format this writes too). Chunked under NOTIFY's 8000-byte payload limit; a tenant over
 * 1 KiB, or a kind over 256 bytes, is left out. The CTE must be read by the statement's final
 * SELECT, or PostgreSQL never runs it.
 */
export function createdSignalCte(names: SqlNames, name: string, changes: string): string {
  const { watch, work } = names.channels;
  return `${name} AS (
    SELECT pg_notify(channel, '{"o":"${names.origin}","s":[' || string_agg(entry, ',') || ']}')
    FROM (
      SELECT channel, entry, sum(octet_length(entry) + 1)
          OVER (PARTITION BY channel ROWS UNBOUNDED PRECEDING) / 7000 AS chunk
      FROM (
        SELECT CASE WHEN octet_length(operation_kind) > 256
            THEN json_build_array(kind, id, CASE WHEN octet_length(tenant) <= 1024 THEN tenant END)
            ELSE json_build_array(kind, id, CASE WHEN octet_length(tenant) <= 1024 THEN tenant END,
              operation_kind) END::text AS entry, kind
        FROM (SELECT id, tenant, 'created' AS kind, kind AS operation_kind FROM ${changes}) AS c
      ) AS entries
      CROSS JOIN (VALUES (${quoteLiteral(watch)}), (${quoteLiteral(work)})) AS channels (channel)
    ) AS chunked
    GROUP BY channel, chunk)`;
}
