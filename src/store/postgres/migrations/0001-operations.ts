/**
 * 0001: operations and their idempotency keys. Append-only: never edit a released migration, add the next.
 * `schema` is the quoted schema name. Times are epoch milliseconds (bigint) so records match SqliteStore's;
 * JSON is kept as text, exactly as written (jsonb would reorder keys and refuse `\u0000`).
 */
export const sql = (schema: string) => `
CREATE TABLE ${schema}.operations (
  id text COLLATE "C" PRIMARY KEY,
  tenant text NOT NULL,
  kind text NOT NULL,
  title text,
  method text NOT NULL,
  status text NOT NULL,
  input text,
  message text,
  percent double precision,
  progress text,
  steps text NOT NULL DEFAULT '[]',
  result text,
  resource_location text,
  error text,
  result_http_status integer,
  cancel_requested boolean NOT NULL DEFAULT false,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  -- queued: waiting for a worker; leased: a worker holds it; done: terminal.
  queue_state text NOT NULL DEFAULT 'queued',
  run_after bigint NOT NULL,
  lease_token text,
  lease_expires_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  started_at bigint,
  ended_at bigint,
  expires_at bigint,
  -- Set once retention is over: the row is a tombstone answering 410 until then.
  tombstone_until bigint
);

-- The claim walks this in queue order; only queued rows are in it, so it stays small.
CREATE INDEX operations_queue ON ${schema}.operations (run_after, id) WHERE queue_state = 'queued';
CREATE INDEX operations_leases ON ${schema}.operations (lease_expires_at) WHERE queue_state = 'leased';
CREATE INDEX operations_by_tenant ON ${schema}.operations (tenant, id);
CREATE INDEX operations_expiry ON ${schema}.operations (expires_at)
  WHERE expires_at IS NOT NULL AND tombstone_until IS NULL;
CREATE INDEX operations_tombstones ON ${schema}.operations (tombstone_until)
  WHERE tombstone_until IS NOT NULL;
CREATE INDEX operations_by_resource ON ${schema}.operations (tenant, resource_location)
  WHERE resource_location IS NOT NULL;

-- The head of the queue for a claim: up to max_count runnable operations of the given kinds, in queue
-- order, locked FOR UPDATE SKIP LOCKED (concurrent claimers skip each other's rows instead of waiting).
-- A function only to pin the plan: an ordered scan of operations_queue that stops after max_count rows.
-- Left to itself the planner picks a bitmap scan and sorts every queued row whenever its statistics
-- predate a burst (say, analyzed while the queue was empty): measured here with 13,600 queued, 16 ms
-- per claim instead of 1.3 ms, so draining a burst of N costs O(N^2). plpgsql caches the plan.
CREATE FUNCTION ${schema}.queue_head(kinds text[], max_count integer, now_ms bigint)
  RETURNS SETOF text LANGUAGE plpgsql VOLATILE
  SET enable_bitmapscan = off
AS $$
BEGIN
  RETURN QUERY
    SELECT id FROM ${schema}.operations
    WHERE queue_state = 'queued' AND run_after <= now_ms AND kind = ANY(kinds)
    ORDER BY run_after, id
    LIMIT max_count
    FOR UPDATE SKIP LOCKED;
END
$$;

CREATE TABLE ${schema}.idempotency_keys (
  tenant text NOT NULL,
  scope text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  operation_id text COLLATE "C" NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (tenant, scope, key)
);
CREATE INDEX idempotency_keys_by_operation ON ${schema}.idempotency_keys (operation_id);
CREATE INDEX idempotency_keys_expiry ON ${schema}.idempotency_keys (expires_at);
`;
