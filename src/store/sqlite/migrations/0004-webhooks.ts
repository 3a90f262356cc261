/**
 * 0004: webhooks (PROTOCOL.md section 7). Append-only: never edit a released migration, add the next.
 *
 * webhook_subscriptions: a tenant's targets; `types` is comma-wrapped (',operation.failed,').
 * webhook_callbacks: one operation's own targets (POST Callback-Url, GET OData Prefer callback).
 * webhook_outbox: one row per event and target, written by the triggers below in the statement that
 * changes the operation (so a crash cannot lose one), then updated by each delivery attempt; it is
 * also the delivery log. The `id` is the stable `webhook-id`. Must match PostgreSQL's 0004.
 */
const TERMINAL = "('Succeeded', 'Failed', 'Canceled')";
const ID = "'msg_' || lower(hex(randomblob(16)))";
const COLUMNS = `id, tenant, operation_id, subscription_id, url, method, secret, root, type, kind,
  op_status, percent, occurred_at, next_attempt_at`;

export const sql = `
CREATE TABLE webhook_subscriptions (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  url TEXT NOT NULL,
  types TEXT NOT NULL,
  secret TEXT NOT NULL,
  root TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
CREATE INDEX webhook_subscriptions_by_tenant ON webhook_subscriptions (tenant, created_at);

CREATE TABLE webhook_callbacks (
  operation_id TEXT NOT NULL,
  method TEXT NOT NULL,
  tenant TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  root TEXT NOT NULL,
  PRIMARY KEY (operation_id, method)
);

CREATE TABLE webhook_outbox (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  operation_id TEXT NOT NULL,
  subscription_id TEXT,
  url TEXT NOT NULL,
  method TEXT NOT NULL,
  secret TEXT NOT NULL,
  root TEXT NOT NULL,
  type TEXT NOT NULL,
  kind TEXT NOT NULL,
  op_status TEXT NOT NULL,
  percent REAL,
  occurred_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at INTEGER,
  last_http_status INTEGER,
  last_error TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_outbox_by_tenant ON webhook_outbox (tenant, occurred_at);
CREATE INDEX webhook_outbox_by_operation ON webhook_outbox (operation_id);

CREATE TRIGGER webhook_outbox_finished AFTER UPDATE OF status ON operations
WHEN NEW.status IN ${TERMINAL} AND OLD.status NOT IN ${TERMINAL}
BEGIN
  INSERT INTO webhook_outbox (${COLUMNS})
  SELECT ${ID}, NEW.tenant, NEW.id, NULL, c.url, c.method, c.secret, c.root,
    'operation.' || lower(NEW.status), NEW.kind, NEW.status, NEW.percent, NEW.updated_at,
    NEW.updated_at
  FROM webhook_callbacks AS c WHERE c.operation_id = NEW.id;
  INSERT INTO webhook_outbox (${COLUMNS})
  SELECT ${ID}, NEW.tenant, NEW.id, s.id, s.url, 'POST', s.secret, s.root,
    'operation.' || lower(NEW.status), NEW.kind, NEW.status, NEW.percent, NEW.updated_at,
    NEW.updated_at
  FROM webhook_subscriptions AS s WHERE s.tenant = NEW.tenant AND s.disabled_at IS NULL
    AND instr(s.types, ',operation.' || lower(NEW.status) || ',') > 0;
END;

CREATE TRIGGER webhook_outbox_progress AFTER UPDATE OF percent ON operations
WHEN NEW.percent IS NOT NULL AND NEW.percent IS NOT OLD.percent AND NEW.status NOT IN ${TERMINAL}
BEGIN
  INSERT INTO webhook_outbox (${COLUMNS})
  SELECT ${ID}, NEW.tenant, NEW.id, s.id, s.url, 'POST', s.secret, s.root, 'operation.progress',
    NEW.kind, NEW.status, NEW.percent, NEW.updated_at, NEW.updated_at
  FROM webhook_subscriptions AS s WHERE s.tenant = NEW.tenant AND s.disabled_at IS NULL
    AND instr(s.types, ',operation.progress,') > 0;
END;
`;
