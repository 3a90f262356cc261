import type { SqlNames } from '../postgres-config.js';
import { signalCte } from './sql-parts.js';

/**
 * Claims up to $4 runnable operations of the kinds $3 (text[]) in one round trip: Running, one more
 * attempt, lease token $1 valid for $2 ms of the database clock. Returns the claimed rows.
 *
 * claim_operations() (migrations/0005-claim-function.ts) takes the ids from queue_head()
 * (migrations/0001-operations.ts): `SELECT id ... WHERE queue_state = 'queued' AND run_after <= now AND
 * kind = ANY(kinds) ORDER BY run_after, id LIMIT n FOR UPDATE SKIP LOCKED`, whose plan is pinned to an
 * ordered index scan. SKIP LOCKED: concurrent claimers (other workers, other machines) skip each
 * other's rows instead of waiting on them, so no operation is claimed twice and no claimer blocks.
 * Starting to run is a change watchers must see, so every claimed row is signalled `updated` in the
 * same statement (see signalCte: a claim commits without waiting for the disk).
 */
export const claimOperationsSql = (names: SqlNames) => `
WITH claimed AS (
  SELECT * FROM ${names.schema}.claim_operations($1, $2::bigint, $3::text[], $4::integer)
), ${signalCte(names, 'signalled', "SELECT id, tenant, 'updated', NULL FROM claimed")}
SELECT claimed.* FROM claimed CROSS JOIN (SELECT count(*) FROM signalled) AS s`;
