import type { SqlNames } from '../postgres-config.js';
import { ENTOMBED } from './sql-parts.js';

/**
 * Finished operations past their retention ($1 now, epoch ms) become tombstones until $1 + $2: their
 * payloads go, the row stays to answer 410. Served by operations_expiry. Returns `expired`.
 */
export const entombSql = (names: SqlNames) => `
WITH entombed AS (
  UPDATE ${names.operations} SET tombstone_until = $1::bigint + $2::bigint,
    input = NULL, result = NULL, steps = '[]', progress = NULL
  WHERE expires_at <= $1 AND tombstone_until IS NULL
  RETURNING 1
)
SELECT count(*)::int AS expired FROM entombed`;

/**
 * Tombstones whose time is over ($1 now) go for good, with idempotency keys past their expiry. Run
 * after entombSql, as its own statement, so a tombstone made and due in the same call goes too.
 */
export const purgeSql = (names: SqlNames) => `
WITH purged AS (
  DELETE FROM ${names.operations} WHERE tombstone_until <= $1 RETURNING 1
), keys AS (
  DELETE FROM ${names.keys} WHERE expires_at <= $1 RETURNING 1
)
SELECT (SELECT count(*)::int FROM purged) AS purged, (SELECT count(*)::int FROM keys) AS keys`;

/**
 * Forgets a finished operation ($1 id) of tenant $2, and the idempotency keys that point at it.
 * Returns the row's state before (none: missing), and whether it was deleted by this statement.
 */
export const deleteOperationSql = (names: SqlNames) => `
WITH target AS (
  SELECT id, queue_state, ${ENTOMBED} AS entombed
  FROM ${names.operations} WHERE id = $1 AND tenant = $2
), deleted AS (
  DELETE FROM ${names.operations} AS o USING target AS t
  WHERE o.id = t.id AND t.queue_state = 'done' AND NOT t.entombed
  RETURNING o.id
), keys AS (
  DELETE FROM ${names.keys} WHERE operation_id IN (SELECT id FROM deleted) RETURNING 1
)
SELECT t.queue_state, t.entombed, (SELECT count(*)::int FROM deleted) AS deleted,
  (SELECT count(*)::int FROM keys) AS keys
FROM target AS t`;
