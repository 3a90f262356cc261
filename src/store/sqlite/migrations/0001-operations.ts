/** 0001: operations, their idempotency keys. Append-only: never edit a released migration, add the next. */
export const sql = `
CREATE TABLE operations (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT,
  method TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT,
  message TEXT,
  percent REAL,
  progress TEXT,
  steps TEXT NOT NULL DEFAULT '[]',
  result TEXT,
  resource_location TEXT,
  error TEXT,
  result_http_status INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  -- queued: waiting for a worker; leased: a worker holds it; done: terminal.
  queue_state TEXT NOT NULL DEFAULT 'queued',
  run_after INTEGER NOT NULL,
  lease_token TEXT,
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  expires_at INTEGER,
  -- Set once retention is over: the row is a tombstone answering 410 until then.
  tombstone_until INTEGER
) WITHOUT ROWID;

CREATE INDEX operations_queue ON operations (run_after, id) WHERE queue_state = 'queued';
CREATE INDEX operations_leases ON operations (lease_expires_at) WHERE queue_state = 'leased';
CREATE INDEX operations_by_tenant ON operations (tenant, id);
CREATE INDEX operations_expiry ON operations (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX operations_by_resource ON operations (tenant, resource_location)
  WHERE resource_location IS NOT NULL;

CREATE TABLE idempotency_keys (
  tenant TEXT NOT NULL,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  operation_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, scope, key)
) WITHOUT ROWID;
`;
