import type { SqlNames } from '../postgres-config.js';
import { keepHighestPercent, NOW_MS } from './sql-parts.js';

const CANCEL_WON = "(o.cancel_requested AND u.status = 'Succeeded')";

/** Progress columns of an update, finish or release; absent (NULL) fields keep their stored value. */
const PROGRESS = `message = coalesce(u.message, o.message), ${keepHighestPercent('u.percent')},
    progress = coalesce(u.progress, o.progress), steps = coalesce(u.steps, o.steps),
    updated_at = ${NOW_MS}, revision = o.revision + 1`;

/**
 * Every lease-fenced write of an event-loop turn, in one statement: updates, finishes, renewals and
 * releases, each kind an UPDATE ... FROM unnest(parallel arrays) in its own CTE. One round trip and one
 * commit for a whole batch: a worker finishing 64 no-op operations in a turn pays once, not 64 times.
 *
 * Fenced: a row changes only where `lease_token` still matches, so a write under a lost lease changes
 * nothing and is absent from the result. An operation may appear at most once per statement (the CTEs
 * share one snapshot; the batcher puts a second write to the same operation in the next round).
 *   update:  $1 id, $2 token, $3 message, $4 percent, $5 progress, $6 steps
 *   finish:  $7 id, $8 token, $9 message, $10 percent, $11 progress, $12 steps, $13 status,
 *            $14 result, $15 resource_location, $16 error, $17 result_http_status, $18 expires_at,
 *            $19 the error a success that lost to a cancel request records
 *   renew:   $20 id, $21 token, $22 lease ms
 *   release: $23 id, $24 token, $25 delay ms before it may run again, $26 attempts to give back,
 *            $27 message, $28 percent, $29 progress, $30 steps
 * Returns one row per applied write, `(write, id, cancel_requested)`.
 */
export const leaseWritesSql = (names: SqlNames) => `
WITH updated AS (
  UPDATE ${names.operations} AS o SET ${PROGRESS}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::text[])
    AS u (id, token, message, percent, progress, steps)
  WHERE o.id = u.id AND o.lease_token = u.token
  RETURNING o.id
), finished AS (
  -- A success that arrives after a cancel request lost the race: recorded as the cancel it lost to.
  UPDATE ${names.operations} AS o SET ${PROGRESS}, queue_state = 'done',
    status = CASE WHEN ${CANCEL_WON} THEN 'Canceled' ELSE u.status END,
    result = CASE WHEN ${CANCEL_WON} THEN NULL ELSE u.result END,
    resource_location = CASE WHEN ${CANCEL_WON} THEN NULL ELSE u.resource_location END,
    error = CASE WHEN ${CANCEL_WON} THEN $19 ELSE u.error END,
    result_http_status = CASE WHEN ${CANCEL_WON} THEN 409 ELSE u.result_http_status END,
    lease_token = NULL, lease_expires_at = NULL, ended_at = ${NOW_MS}, expires_at = u.expires_at
  FROM unnest($7::text[], $8::text[], $9::text[], $10::float8[], $11::text[], $12::text[],
    $13::text[], $14::text[], $15::text[], $16::text[], $17::int[], $18::bigint[])
    AS u (id, token, message, percent, progress, steps, status, result, resource_location, error,
      result_http_status, expires_at)
  WHERE o.id = u.id AND o.lease_token = u.token
  RETURNING o.id
), renewed AS (
  -- Not a write of the operation: no new revision, no signal.
  UPDATE ${names.operations} AS o SET lease_expires_at = ${NOW_MS} + u.lease_ms
  FROM unnest($20::text[], $21::text[], $22::bigint[]) AS u (id, token, lease_ms)
  WHERE o.id = u.id AND o.lease_token = u.token
  RETURNING o.id, o.cancel_requested
), released AS (
  UPDATE ${names.operations} AS o SET ${PROGRESS}, queue_state = 'queued', lease_token = NULL,
    lease_expires_at = NULL, run_after = ${NOW_MS} + u.delay_ms, attempts = o.attempts - u.refund
  FROM unnest($23::text[], $24::text[], $25::bigint[], $26::int[], $27::text[], $28::float8[],
    $29::text[], $30::text[])
    AS u (id, token, delay_ms, refund, message, percent, progress, steps)
  WHERE o.id = u.id AND o.lease_token = u.token
  RETURNING o.id
)
SELECT 'update' AS write, id, NULL::boolean AS cancel_requested FROM updated
UNION ALL SELECT 'finish', id, NULL FROM finished
UNION ALL SELECT 'renew', id, cancel_requested FROM renewed
UNION ALL SELECT 'release', id, NULL FROM released`;
