/**
 * 0005: the triggers of 0002 (event log) and 0004 (webhook outbox), doing the same, written without
 * `status IN ('Succeeded', 'Failed', 'Canceled')`. Append-only: never edit a released migration, add
 * the next.
 *
 * Why: SQLite evaluates an IN list of more than two constants through a temporary b-tree, built once
 * per statement; inside a trigger that is once per row changed. callgrind on a loop creating,
 * claiming and finishing operations counted 7 such b-trees per operation, each zeroing a 4 KiB page;
 * claim and finish took 596 k instructions per operation before, 466 k after (-22 %). An OR of
 * equalities is the same test (status is NOT NULL) and needs no b-tree.
 */

const isTerminal = (status: string) =>
  `(${status} = 'Succeeded' OR ${status} = 'Failed' OR ${status} = 'Canceled')`;
const DONE = `json(CASE WHEN ${isTerminal('NEW.status')} THEN 'true' ELSE 'false' END)`;
const STATUS_DATA = `json_object('status', NEW.status, 'done', ${DONE})`;
const EVENT_COLUMNS = 'operation_id, tenant, revision, type, data, created_at';
const ID = "'msg_' || lower(hex(randomblob(16)))";
const OUTBOX_COLUMNS = `id, tenant, operation_id, subscription_id, url, method, secret, root, type,
  kind, op_status, percent, occurred_at, next_attempt_at`;

export const sql = `
DROP TRIGGER operation_events_created;
DROP TRIGGER operation_events_changed;
DROP TRIGGER webhook_outbox_finished;
DROP TRIGGER webhook_outbox_progress;

CREATE TRIGGER operation_events_created AFTER INSERT ON operations
BEGIN
  INSERT INTO operation_events (${EVENT_COLUMNS})
  VALUES (NEW.id, NEW.tenant, NEW.revision, 'status', ${STATUS_DATA}, NEW.created_at);
END;

CREATE TRIGGER operation_events_changed AFTER UPDATE OF revision ON operations
WHEN NEW.revision > OLD.revision
BEGIN
  INSERT INTO operation_events (${EVENT_COLUMNS})
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
    AND revision <= NEW.revision - CASE WHEN ${isTerminal('NEW.status')} THEN 64 ELSE 256 END;
END;

CREATE TRIGGER webhook_outbox_finished AFTER UPDATE OF status ON operations
WHEN ${isTerminal('NEW.status')} AND NOT ${isTerminal('OLD.status')}
BEGIN
  INSERT INTO webhook_outbox (${OUTBOX_COLUMNS})
  SELECT ${ID}, NEW.tenant, NEW.id, NULL, c.url, c.method, c.secret, c.root,
    'operation.' || lower(NEW.status), NEW.kind, NEW.status, NEW.percent, NEW.updated_at,
    NEW.updated_at
  FROM webhook_callbacks AS c WHERE c.operation_id = NEW.id;
  INSERT INTO webhook_outbox (${OUTBOX_COLUMNS})
  SELECT ${ID}, NEW.tenant, NEW.id, s.id, s.url, 'POST', s.secret, s.root,
    'operation.' || lower(NEW.status), NEW.kind, NEW.status, NEW.percent, NEW.updated_at,
    NEW.updated_at
  FROM webhook_subscriptions AS s WHERE s.tenant = NEW.tenant AND s.disabled_at IS NULL
    AND instr(s.types, ',operation.' || lower(NEW.status) || ',') > 0;
END;

CREATE TRIGGER webhook_outbox_progress AFTER UPDATE OF percent ON operations
WHEN NEW.percent IS NOT NULL AND NEW.percent IS NOT OLD.percent AND NOT ${isTerminal('NEW.status')}
BEGIN
  INSERT INTO webhook_outbox (${OUTBOX_COLUMNS})
  SELECT ${ID}, NEW.tenant, NEW.id, s.id, s.url, 'POST', s.secret, s.root, 'operation.progress',
    NEW.kind, NEW.status, NEW.percent, NEW.updated_at, NEW.updated_at
  FROM webhook_subscriptions AS s WHERE s.tenant = NEW.tenant AND s.disabled_at IS NULL
    AND instr(s.types, ',operation.progress,') > 0;
END;
`;
