/**
 * 0002: the event log (PROTOCOL.md section 7, STYLE.md practice 10). Append-only: never edit a
 * released migration, add the next.
 *
 * Triggers append the events of every write that changes an operation's revision, so they commit in
 * the write's own statement whatever code made it (create, claim, update, finish, release, cancel,
 * recovery, requeue). What changed is found by diffing OLD and NEW, in this order (the step trees
 * by `step_changes()`, a JS function every SqliteStore registers: see step-changes.ts):
 *   step     {steps: [{id, title, status, percentComplete?, progress?, message?}]}: new or changed steps
 *   progress {percentComplete?, progress?}
 *   message  {message}
 *   status   {status, done}; also written for a revision in which nothing shown changed (a claim after
 *            a requeue), so every revision has at least one event and a gap means history is gone.
 * Nulls are left out (json_patch onto '{}' drops them). Must match PostgreSQL's 0002 exactly.
 *
 * Retention: the events of the last 256 revisions while running, of the last 64 once ended; all go
 * when the operation is entombed or deleted. `seq` (AUTOINCREMENT: never reused after a delete) is the
 * tenant feed's cursor: one process writes the file, so seq order is commit order.
 */

const DONE =
  "json(CASE WHEN NEW.status IN ('Succeeded', 'Failed', 'Canceled') THEN 'true' ELSE 'false' END)";
const STATUS_DATA = `json_object('status', NEW.status, 'done', ${DONE})`;
const COLUMNS = 'operation_id, tenant, revision, type, data, created_at';

export const sql = `
CREATE TABLE operation_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  operation_id TEXT NOT NULL,
  tenant TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX operation_events_by_operation ON operation_events (operation_id, revision);
CREATE INDEX operation_events_by_tenant ON operation_events (tenant, seq);

-- Operations that exist already start their log at their current revision.
INSERT INTO operation_events (${COLUMNS})
SELECT id, tenant, revision, 'status', json_object('status', status, 'done',
    json(CASE WHEN status IN ('Succeeded', 'Failed', 'Canceled') THEN 'true' ELSE 'false' END)),
  updated_at
FROM operations WHERE tombstone_until IS NULL ORDER BY id;

CREATE TRIGGER operation_events_created AFTER INSERT ON operations
BEGIN
  INSERT INTO operation_events (${COLUMNS})
  VALUES (NEW.id, NEW.tenant, NEW.revision, 'status', ${STATUS_DATA}, NEW.created_at);
END;

CREATE TRIGGER operation_events_changed AFTER UPDATE OF revision ON operations
WHEN NEW.revision > OLD.revision
BEGIN
  INSERT INTO operation_events (${COLUMNS})
  SELECT NEW.id, NEW.tenant, NEW.revision, t.type, CASE t.k
      WHEN 1 THEN json_object('steps', json(c.steps))
      WHEN 2 THEN json_patch('{}', json_object('percentComplete', NEW.percent,
        'progress', json(NEW.progress)))
      WHEN 3 THEN json_object('message', NEW.message)
      ELSE ${STATUS_DATA} END,
    NEW.updated_at
  FROM (SELECT CASE WHEN NEW.steps IS NOT OLD.steps THEN step_changes(OLD.steps, NEW.steps) END
      AS steps,
    NEW.percent IS NOT OLD.percent OR NEW.progress IS NOT OLD.progress AS progressed,
    NEW.message IS NOT OLD.message AND NEW.message IS NOT NULL AS told) AS c,
  (SELECT 1 AS k, 'step' AS type UNION ALL SELECT 2, 'progress' UNION ALL SELECT 3, 'message'
    UNION ALL SELECT 4, 'status') AS t
  WHERE CASE t.k WHEN 1 THEN c.steps IS NOT NULL WHEN 2 THEN c.progressed WHEN 3 THEN c.told
    ELSE NEW.status IS NOT OLD.status OR (c.steps IS NULL AND NOT c.progressed AND NOT c.told) END
  ORDER BY t.k;
  DELETE FROM operation_events WHERE NEW.revision > 64 AND operation_id = NEW.id
    AND revision <= NEW.revision -
      CASE WHEN NEW.status IN ('Succeeded', 'Failed', 'Canceled') THEN 64 ELSE 256 END;
END;

CREATE TRIGGER operation_events_entombed AFTER UPDATE OF tombstone_until ON operations
WHEN NEW.tombstone_until IS NOT NULL AND OLD.tombstone_until IS NULL
BEGIN
  DELETE FROM operation_events WHERE operation_id = NEW.id;
END;

CREATE TRIGGER operation_events_deleted AFTER DELETE ON operations
BEGIN
  DELETE FROM operation_events WHERE operation_id = OLD.id;
END;
`;
