import { quoteLiteral, type SqlNames, WORK_SIGNALS } from '../postgres-config.js';

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
 * A CTE named `name` that NOTIFYs the rows `(id, tenant, kind, operation_kind)` of `changes` (the
 * operation's kind, or NULL where no listener needs it) in the writing statement itself. Only in a
 * create (a waiting worker hears of new work at the commit, not a round trip later; creates then
 * queue only behind each other's disk flushes) and a claim (its commit does not wait for the disk, so
 * it holds NOTIFY's lock for microseconds); every other signal goes after its commit (SignalSender,
 * same payload format). Every signal goes to the `watch` channel; `created` and `cancel-requested`
 * also to `work`. Cut into chunks under NOTIFY's 8000-byte payload limit; a tenant over 1 KiB, or a
 * kind over 256 bytes, is left out. The CTE must be read by the statement's final SELECT, or
 * PostgreSQL never runs it.
 */
export function signalCte(names: SqlNames, name: string, changes: string): string {
  const { watch, work } = names.channels;
  const toWork = WORK_SIGNALS.map(quoteLiteral).join(', ');
  return `${name} AS (
    SELECT pg_notify(channel, '{"o":"${names.origin}","s":[' || string_agg(entry, ',') || ']}')
    FROM (
      SELECT channel, entry, sum(octet_length(entry) + 1)
          OVER (PARTITION BY channel ROWS UNBOUNDED PRECEDING) / 7000 AS chunk
      FROM (
        SELECT CASE WHEN operation_kind IS NULL OR octet_length(operation_kind) > 256
            THEN json_build_array(kind, id, CASE WHEN octet_length(tenant) <= 1024 THEN tenant END)
            ELSE json_build_array(kind, id, CASE WHEN octet_length(tenant) <= 1024 THEN tenant END,
              operation_kind) END::text AS entry, kind
        FROM (${changes}) AS changes (id, tenant, kind, operation_kind)
      ) AS entries
      CROSS JOIN LATERAL (SELECT ${quoteLiteral(watch)} AS channel
        UNION ALL SELECT ${quoteLiteral(work)} WHERE kind IN (${toWork})) AS channels
    ) AS chunked
    GROUP BY channel, chunk)`;
}
