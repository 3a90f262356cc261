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
