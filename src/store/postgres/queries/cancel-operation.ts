import type { SqlNames } from '../postgres-config.js';
import { NOW_MS } from './sql-parts.js';

/**
 * Marks a leased operation ($1 id) Canceling, if it is still at revision $2 and still leased (read
 * first by cancelTargetSql: a write in between makes this change nothing, and the caller reads again).
 * Its worker learns of it from the `cancel-requested` signal, or at its next lease renewal.
 */
export const markCancelingSql = (names: SqlNames) => `
UPDATE ${names.operations} SET status = 'Canceling', cancel_requested = true,
  updated_at = ${NOW_MS}, revision = revision + 1
WHERE id = $1 AND revision = $2 AND queue_state = 'leased'
RETURNING *`;

/**
 * Cancels an operation no worker holds ($1 id, still at revision $2 and queued) at once: Canceled with
 * error $3, its open steps closed ($4, computed by the caller), readable until $5.
 */
export const cancelQueuedSql = (names: SqlNames) => `
UPDATE ${names.operations} SET queue_state = 'done', status = 'Canceled', cancel_requested = true,
  result = NULL, resource_location = NULL, error = $3, result_http_status = 409, steps = $4,
  lease_token = NULL, lease_expires_at = NULL, ended_at = ${NOW_MS}, updated_at = ${NOW_MS},
  expires_at = $5, revision = revision + 1
WHERE id = $1 AND revision = $2 AND queue_state = 'queued'
RETURNING *`;
