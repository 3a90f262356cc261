import type { SqlNames } from '../postgres-config.js';
import { NOW_MS } from './sql-parts.js';

/**
 * Leases past their expiry by the database clock (their worker died or stalled), oldest first, at most
 * $1 at a time. Served by operations_leases. With `now_ms` to stamp closed steps.
 */
export const expiredLeasesSql = (names: SqlNames) => `
SELECT *, ${NOW_MS} AS now_ms FROM ${names.operations}
WHERE queue_state = 'leased' AND lease_expires_at < ${NOW_MS}
ORDER BY lease_expires_at LIMIT $1`;

/**
 * Applies what recovery decided for each expired lease, as parallel arrays: $1 id, $2 the expired
 * token, $3 action (`requeue`, `Canceled` or `Failed`), $4 message (requeue), $5 steps (ends), $6 error
 * (ends), $7 how long an ended operation stays readable (epoch ms). Fenced on the expired token and
 * re-checked expiry, so a lease renewed or re-claimed since the read, or recovered by another reaper,
 * is left alone and absent from the result; a row another statement has locked is skipped, not waited
 * for. Returns `(id, kind, action)` per change.
 */
export const recoverLeasesSql = (names: SqlNames) => `
WITH decided AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
    AS u (id, token, action, message, steps, error)
), locked AS (
  -- SKIP LOCKED: a row another reaper, or a worker's late write, holds is left for the next round.
  -- Waiting for it could deadlock: multi-row statements lock their rows in no common order.
  SELECT id FROM ${names.operations}
  WHERE id = ANY($1::text[]) AND queue_state = 'leased' AND lease_expires_at < ${NOW_MS}
  FOR UPDATE SKIP LOCKED
), changed AS (
  UPDATE ${names.operations} AS o SET
    queue_state = CASE WHEN u.action = 'requeue' THEN 'queued' ELSE 'done' END,
    status = CASE WHEN u.action = 'requeue' THEN o.status ELSE u.action END,
    message = coalesce(u.message, o.message), steps = coalesce(u.steps, o.steps),
    error = CASE WHEN u.action = 'requeue' THEN o.error ELSE u.error END,
    result_http_status = CASE u.action WHEN 'Canceled' THEN 409 WHEN 'Failed' THEN 500
      ELSE o.result_http_status END,
    result = CASE WHEN u.action = 'requeue' THEN o.result END,
    resource_location = CASE WHEN u.action = 'requeue' THEN o.resource_location END,
    run_after = CASE WHEN u.action = 'requeue' THEN ${NOW_MS} ELSE o.run_after END,
    ended_at = CASE WHEN u.action = 'requeue' THEN o.ended_at ELSE ${NOW_MS} END,
    expires_at = CASE WHEN u.action = 'requeue' THEN o.expires_at ELSE $7::bigint END,
    lease_token = NULL, lease_expires_at = NULL, updated_at = ${NOW_MS}, revision = o.revision + 1
  FROM decided AS u
  WHERE o.id = u.id AND o.id IN (SELECT id FROM locked) AND o.lease_token = u.token
    AND o.queue_state = 'leased'
    AND o.lease_expires_at < ${NOW_MS}
  RETURNING o.id, o.kind, u.action
)
SELECT id, kind, action FROM changed`;
