import type { SqlNames } from '../postgres-config.js';
import { NOW_MS, signalCte } from './sql-parts.js';

/**
 * Claims up to $4 runnable operations of the kinds $3 (text[]) in one round trip: Running, one more
 * attempt, lease token $1 valid for $2 ms of the database clock. Returns the claimed rows.
 *
 * The ids come from queue_head() (migrations/0001-operations.ts): `SELECT id ... WHERE queue_state =
 * 'queued' AND run_after <= now AND kind = ANY(kinds) ORDER BY run_after, id LIMIT n FOR UPDATE SKIP
 * LOCKED`, a function only so that its plan stays an ordered index scan. SKIP LOCKED: concurrent
 * claimers (other workers, other machines) skip each other's rows instead of waiting on them, so no
 * operation is claimed twice and no claimer blocks. `= ANY(ARRAY(...))` makes the update a primary-key
 * lookup. Starting to run is a change watchers must see, so every claimed row is signalled `updated`
 * in the same statement.
 */
export const claimOperationsSql = (names: SqlNames) => `
WITH claimed AS (
  UPDATE ${names.operations} SET
    status = CASE WHEN status = 'NotStarted' THEN 'Running' ELSE status END,
    queue_state = 'leased', attempts = attempts + 1, lease_token = $1,
    lease_expires_at = ${NOW_MS} + $2::bigint, started_at = coalesce(started_at, ${NOW_MS}),
    updated_at = ${NOW_MS}, revision = revision + 1
  WHERE id = ANY(ARRAY(SELECT ${names.schema}.queue_head($3::text[], $4::integer, ${NOW_MS})))
  RETURNING *
), ${signalCte(names, 'signalled', "SELECT id, tenant, 'updated' FROM claimed")}
SELECT claimed.* FROM claimed CROSS JOIN (SELECT count(*) FROM signalled) AS s`;
