/**
 * 0006: the event-log trigger of 0002 in one statement. Append-only: never edit a released migration,
 * add the next. `schema` is the quoted schema name.
 *
 * Same events, same retention, same order as 0002's operation_events_changed(); what changed is that
 * the append, the trim past the retention window and the removal of an entombed operation's events are
 * one statement over one join of the transition tables, instead of three statements and a loop.
 * Measured here: a claim of one operation (asynchronous commit) 0.64 -> 0.51 ms.
 * An entombed row appends nothing (0002 appended, then deleted, its events; entombing never bumps the
 * revision anyway).
 */
export const sql = (schema: string) => `
CREATE OR REPLACE FUNCTION ${schema}.operation_events_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  WITH changed AS MATERIALIZED (
    SELECT n.id, n.tenant, n.revision, n.updated_at, n.status,
      n.status IN ('Succeeded', 'Failed', 'Canceled') AS done,
      n.revision > o.revision AND NOT (n.tombstone_until IS NOT NULL AND o.tombstone_until IS NULL) AS revised,
      n.tombstone_until IS NOT NULL AND o.tombstone_until IS NULL AS entombed,
      CASE WHEN n.steps IS DISTINCT FROM o.steps
        THEN ${schema}.step_changes(o.steps, n.steps) END AS steps,
      CASE WHEN n.percent IS DISTINCT FROM o.percent OR n.progress IS DISTINCT FROM o.progress
        THEN jsonb_strip_nulls(jsonb_build_object('percentComplete', n.percent,
          'progress', n.progress::jsonb)) END AS progress,
      CASE WHEN n.message IS DISTINCT FROM o.message AND n.message IS NOT NULL
        THEN jsonb_build_object('message', n.message) END AS message,
      n.status IS DISTINCT FROM o.status AS status_changed
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE n.revision > o.revision OR (n.tombstone_until IS NOT NULL AND o.tombstone_until IS NULL)
  ), appended AS (
    INSERT INTO ${schema}.operation_events (operation_id, tenant, revision, type, data, created_at)
    SELECT c.id, c.tenant, c.revision, v.type, v.data, c.updated_at
    FROM changed AS c, LATERAL (VALUES
      (1, 'step', CASE WHEN c.steps IS NOT NULL THEN jsonb_build_object('steps', c.steps) END),
      (2, 'progress', c.progress),
      (3, 'message', c.message),
      (4, 'status', CASE WHEN c.status_changed OR (c.steps IS NULL AND c.progress IS NULL
          AND c.message IS NULL)
        THEN jsonb_build_object('status', c.status, 'done', c.done) END)
    ) AS v (k, type, data)
    WHERE c.revised AND v.data IS NOT NULL
    ORDER BY c.id, v.k
  ), doomed AS (
    SELECT id, CASE WHEN NOT entombed THEN revision - CASE WHEN done THEN 64 ELSE 256 END END
      AS last_dropped
    FROM changed WHERE entombed OR (revised AND revision > 64)
  )
  DELETE FROM ${schema}.operation_events AS e USING doomed AS d
  WHERE e.operation_id = d.id AND (d.last_dropped IS NULL OR e.revision <= d.last_dropped);
  RETURN NULL;
END
$$;
`;
