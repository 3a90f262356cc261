/**
 * 0004: webhooks (PROTOCOL.md section 7). Append-only: never edit a released migration, add the next.
 * `schema` is the quoted schema name. Must match SQLite's 0004 (see there for the tables).
 *
 * A statement-level trigger (transition tables, set-based like 0002's) writes the outbox rows in the
 * statement that changes the operations: a terminal status to the operation's callbacks and the
 * tenant's subscriptions of that type; a new percentage while running to `operation.progress` ones.
 */
const TERMINAL = "('Succeeded', 'Failed', 'Canceled')";
const ID = "'msg_' || replace(gen_random_uuid()::text, '-', '')";
const COLUMNS = `id, tenant, operation_id, subscription_id, url, method, secret, root, type, kind,
  op_status, percent, occurred_at, next_attempt_at`;

export const sql = (schema: string) => `
CREATE TABLE ${schema}.webhook_subscriptions (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  url text NOT NULL,
  types text NOT NULL,
  secret text NOT NULL,
  root text NOT NULL,
  created_at bigint NOT NULL,
  disabled_at bigint
);
CREATE INDEX webhook_subscriptions_by_tenant ON ${schema}.webhook_subscriptions (tenant, created_at);

CREATE TABLE ${schema}.webhook_callbacks (
  operation_id text NOT NULL,
  method text NOT NULL,
  tenant text NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  root text NOT NULL,
  PRIMARY KEY (operation_id, method)
);

CREATE TABLE ${schema}.webhook_outbox (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  operation_id text NOT NULL,
  subscription_id text,
  url text NOT NULL,
  method text NOT NULL,
  secret text NOT NULL,
  root text NOT NULL,
  type text NOT NULL,
  kind text NOT NULL,
  op_status text NOT NULL,
  percent double precision,
  occurred_at bigint NOT NULL,
  state text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  last_attempt_at bigint,
  last_http_status integer,
  last_error text
);
CREATE INDEX webhook_outbox_due ON ${schema}.webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_outbox_by_tenant ON ${schema}.webhook_outbox (tenant, occurred_at);
CREATE INDEX webhook_outbox_by_operation ON ${schema}.webhook_outbox (operation_id);

CREATE FUNCTION ${schema}.webhook_outbox_changed() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  WITH changed AS (
    SELECT n.id, n.tenant, n.kind, n.status, n.percent, n.updated_at,
      n.status IN ${TERMINAL} AND o.status NOT IN ${TERMINAL} AS finished,
      n.status NOT IN ${TERMINAL} AND n.percent IS NOT NULL
        AND n.percent IS DISTINCT FROM o.percent AS progressed
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
  )
  INSERT INTO ${schema}.webhook_outbox (${COLUMNS})
  SELECT ${ID}, c.tenant, c.id, NULL, w.url, w.method, w.secret, w.root,
    'operation.' || lower(c.status), c.kind, c.status, c.percent, c.updated_at, c.updated_at
  FROM changed AS c JOIN ${schema}.webhook_callbacks AS w ON w.operation_id = c.id
  WHERE c.finished
  UNION ALL
  SELECT ${ID}, c.tenant, c.id, s.id, s.url, 'POST', s.secret, s.root, e.type, c.kind, c.status,
    c.percent, c.updated_at, c.updated_at
  FROM changed AS c
  CROSS JOIN LATERAL (SELECT CASE WHEN c.finished THEN 'operation.' || lower(c.status)
    ELSE 'operation.progress' END AS type) AS e
  JOIN ${schema}.webhook_subscriptions AS s ON s.tenant = c.tenant AND s.disabled_at IS NULL
    AND position(',' || e.type || ',' IN s.types) > 0
  WHERE c.finished OR c.progressed;
  RETURN NULL;
END $$;

CREATE TRIGGER webhook_outbox_changed AFTER UPDATE ON ${schema}.operations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.webhook_outbox_changed();
`;
