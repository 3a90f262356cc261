import type { SqlNames } from '../postgres-config.js';

/** The event log's table, written by the triggers of migrations/0002-operation-events.ts. */
const eventsTable = (names: SqlNames) => `${names.schema}.operation_events`;

/**
 * The event log of operation $1 of tenant $2 after revision $3, at most $4 events, in one round trip
 * and one snapshot: the operation's revision (`current`) and the oldest revision its log still holds
 * (`oldest`) come on every row, so the caller can tell "nothing new" from "trimmed". No row: no such
 * operation for this tenant. One row with a NULL `type`: no events after $3. Served by
 * operation_events_by_operation.
 */
export const readEventsSql = (names: SqlNames) => `
WITH op AS (
  SELECT id, revision AS current,
    (SELECT min(revision) FROM ${eventsTable(names)} WHERE operation_id = $1) AS oldest
  FROM ${names.operations} WHERE id = $1 AND tenant = $2
)
SELECT op.current, op.oldest, e.seq, e.tx::text AS tx, e.revision, e.type, e.data, e.created_at
FROM op LEFT JOIN LATERAL (
  SELECT * FROM ${eventsTable(names)}
  WHERE operation_id = op.id AND revision > $3 ORDER BY revision, seq LIMIT $4
) AS e ON true
ORDER BY e.revision, e.seq`;

/**
 * Tenant $1's feed after position ($2 tx, $3 seq), at most $4 events, in (tx, seq) order. Only events
 * of transactions older than every one still running are taken (tx < xmin of this statement's
 * snapshot): no event can commit before them later. `held` says committed events after the position
 * wait for older transactions to settle; `horizon` is xmin, the start of a feed read from now;
 * `valid` is false for a position past anything this database has given (tx beyond xmax).
 * Served by operation_events_by_tenant.
 */
export const readTenantEventsSql = (names: SqlNames) => `
WITH horizon AS (
  SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin,
    pg_snapshot_xmax(pg_current_snapshot()) AS xmax
), batch AS (
  SELECT e.seq, e.tx, e.operation_id, e.revision, e.type, e.data, e.created_at
  FROM ${eventsTable(names)} AS e, horizon AS h
  WHERE e.tenant = $1 AND (e.tx, e.seq) > ($2::xid8, $3::bigint) AND e.tx < h.xmin
  ORDER BY e.tx, e.seq LIMIT $4
)
SELECT h.xmin::text AS horizon, $2::xid8 <= h.xmax AS valid,
  EXISTS (SELECT 1 FROM ${eventsTable(names)} AS e
    WHERE e.tenant = $1 AND (e.tx, e.seq) > ($2::xid8, $3::bigint) AND e.tx >= h.xmin) AS held,
  coalesce((SELECT jsonb_agg(jsonb_build_object('seq', b.seq, 'tx', b.tx::text,
      'operation_id', b.operation_id, 'revision', b.revision, 'type', b.type, 'data', b.data,
      'created_at', b.created_at) ORDER BY b.tx, b.seq) FROM batch AS b), '[]') AS events
FROM horizon AS h`;

/** The start of tenant feeds read from now: xmin of the current snapshot. */
export const feedHorizonSql = () =>
  'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon';
