/**
 * 0002: the event log (PROTOCOL.md section 7, STYLE.md practice 10). Append-only: never edit a
 * released migration, add the next. `schema` is the quoted schema name.
 *
 * Statement-level triggers (with transition tables) append the events of every write that changes an
 * operation's revision, in the writing statement itself and set-based: a batched statement of 500
 * finishes runs one INSERT, not 500. What changed is found by diffing the old and new rows, in this
 * order: `step` (new or changed steps, flattened), `progress`, `message`, then `status`; a revision in
 * which nothing shown changed gets a `status` event, so every revision has one. Nulls are left out.
 * Must match SQLite's 0002 exactly (the conformance suite holds both to it).
 *
 * Retention: the events of the last 256 revisions while running, of the last 64 once ended; all go
 * when the operation is entombed or deleted.
 *
 * The trigger functions run with jit = off: the step walk's recursive CTE has default estimates of a
 * million rows, which priced a five-step tree over the JIT threshold; compiling then took ~15 ms per
 * row (measured: 27 s for one batch of 500 updates, against 0.2 s without).
 *
 * The tenant feed's order is (tx, seq): `seq` comes from a sequence, so a transaction that took a
 * lower seq may commit after one that took a higher; a reader that went by seq alone could step over
 * it. `tx` is the writing transaction's id, and readers only take events of transactions older than
 * every transaction still running (pg_snapshot_xmin): those can gain no event before them.
 */
export const sql = (schema: string) => `
CREATE TABLE ${schema}.operation_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
  operation_id text COLLATE "C" NOT NULL,
  tenant text NOT NULL,
  revision integer NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX operation_events_by_operation ON ${schema}.operation_events (operation_id, revision);
CREATE INDEX operation_events_by_tenant ON ${schema}.operation_events (tenant, tx, seq);

-- The step nodes of a step tree, in document order (path), each reduced to what events show.
CREATE FUNCTION ${schema}.step_nodes(tree text)
  RETURNS TABLE (path integer[], id text, step jsonb) LANGUAGE sql IMMUTABLE ROWS 20
AS $$
  WITH RECURSIVE walk (path, node) AS (
    SELECT ARRAY[e.ord::integer], e.node
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(tree::jsonb) = 'array' THEN tree::jsonb
      ELSE '[]' END) WITH ORDINALITY AS e (node, ord)
    UNION ALL
    SELECT w.path || e.ord::integer, e.node
    FROM walk AS w, jsonb_array_elements(CASE WHEN jsonb_typeof(w.node -> 'steps') = 'array'
      THEN w.node -> 'steps' ELSE '[]' END) WITH ORDINALITY AS e (node, ord)
  )
  SELECT path, node ->> 'id', jsonb_strip_nulls(jsonb_build_object('id', node -> 'id',
      'title', node -> 'title', 'status', node -> 'status',
      'percentComplete', node -> 'percentComplete', 'progress', node -> 'progress',
      'message', node -> 'message'))
  FROM walk WHERE jsonb_typeof(node) = 'object'
$$;

-- The steps of new_tree that are new or differ from old_tree, in document order; NULL when none.
CREATE FUNCTION ${schema}.step_changes(old_tree text, new_tree text)
  RETURNS jsonb LANGUAGE sql IMMUTABLE
AS $$
  SELECT jsonb_agg(n.step ORDER BY n.path)
  FROM ${schema}.step_nodes(new_tree) AS n
  LEFT JOIN ${schema}.step_nodes(old_tree) AS o ON o.id = n.id
  WHERE o.step IS DISTINCT FROM n.step
$$;

CREATE FUNCTION ${schema}.operation_events_created() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  INSERT INTO ${schema}.operation_events (operation_id, tenant, revision, type, data, created_at)
  SELECT id, tenant, revision, 'status', jsonb_build_object('status', status,
      'done', status IN ('Succeeded', 'Failed', 'Canceled')), created_at
  FROM new_rows ORDER BY id;
  RETURN NULL;
END
$$;

CREATE FUNCTION ${schema}.operation_events_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  trim record;
BEGIN
  WITH changed AS MATERIALIZED (
    SELECT n.id, n.tenant, n.revision, n.updated_at, n.status,
      n.status IN ('Succeeded', 'Failed', 'Canceled') AS done,
      CASE WHEN n.steps IS DISTINCT FROM o.steps
        THEN ${schema}.step_changes(o.steps, n.steps) END AS steps,
      CASE WHEN n.percent IS DISTINCT FROM o.percent OR n.progress IS DISTINCT FROM o.progress
        THEN jsonb_strip_nulls(jsonb_build_object('percentComplete', n.percent,
          'progress', n.progress::jsonb)) END AS progress,
      CASE WHEN n.message IS DISTINCT FROM o.message AND n.message IS NOT NULL
        THEN jsonb_build_object('message', n.message) END AS message,
      n.status IS DISTINCT FROM o.status AS status_changed
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE n.revision > o.revision
  ), events AS (
    SELECT c.id, c.tenant, c.revision, c.updated_at, v.k, v.type, v.data
    FROM changed AS c, LATERAL (VALUES
      (1, 'step', CASE WHEN c.steps IS NOT NULL THEN jsonb_build_object('steps', c.steps) END),
      (2, 'progress', c.progress),
      (3, 'message', c.message),
      (4, 'status', CASE WHEN c.status_changed OR (c.steps IS NULL AND c.progress IS NULL
          AND c.message IS NULL)
        THEN jsonb_build_object('status', c.status, 'done', c.done) END)
    ) AS v (k, type, data)
    WHERE v.data IS NOT NULL
  )
  INSERT INTO ${schema}.operation_events (operation_id, tenant, revision, type, data, created_at)
  SELECT id, tenant, revision, type, data, updated_at FROM events ORDER BY id, k;

  -- Retention, one indexed delete per operation past its window (most writes have none to do),
  -- and every event of operations entombed by this statement.
  FOR trim IN
    SELECT n.id, n.revision - CASE WHEN n.status IN ('Succeeded', 'Failed', 'Canceled') THEN 64
      ELSE 256 END AS last_dropped
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE n.revision > o.revision AND n.revision > 64
  LOOP
    DELETE FROM ${schema}.operation_events
    WHERE operation_id = trim.id AND revision <= trim.last_dropped;
  END LOOP;
  DELETE FROM ${schema}.operation_events WHERE operation_id = ANY(ARRAY(
    SELECT n.id FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE n.tombstone_until IS NOT NULL AND o.tombstone_until IS NULL));
  RETURN NULL;
END
$$;

CREATE FUNCTION ${schema}.operation_events_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  DELETE FROM ${schema}.operation_events
  WHERE operation_id = ANY(ARRAY(SELECT id FROM old_rows));
  RETURN NULL;
END
$$;

CREATE TRIGGER operation_events_created AFTER INSERT ON ${schema}.operations
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.operation_events_created();
CREATE TRIGGER operation_events_changed AFTER UPDATE ON ${schema}.operations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.operation_events_changed();
CREATE TRIGGER operation_events_deleted AFTER DELETE ON ${schema}.operations
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.operation_events_deleted();

-- Operations that exist already start their log at their current revision.
INSERT INTO ${schema}.operation_events (operation_id, tenant, revision, type, data, created_at)
SELECT id, tenant, revision, 'status', jsonb_build_object('status', status,
    'done', status IN ('Succeeded', 'Failed', 'Canceled')), updated_at
FROM ${schema}.operations WHERE tombstone_until IS NULL ORDER BY id;
`;
