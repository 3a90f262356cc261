import type { SqlNames } from '../postgres-config.js';

/**
 * Claims up to $4 runnable operations of the kinds $3 (text[]) in one round trip: Running, one more
 * attempt, lease token $1 valid for $2 ms of the database clock. Returns the claimed rows.
 *
 * claim_operations() (migrations/0005-claim-function.ts) takes the ids from queue_head()
 * (migrations/0001-operations.ts): `SELECT id ... WHERE queue_state = 'queued' AND run_after <= now AND
 * kind = ANY(kinds) ORDER BY run_after, id LIMIT n FOR UPDATE SKIP LOCKED`, whose plan is pinned to an
 * ordered index scan. SKIP LOCKED: concurrent claimers (other workers, other machines) skip each
 * other's rows instead of waiting on them, so no operation is claimed twice and no claimer blocks.
 */
export const claimOperationsSql = (names: SqlNames) => `
SELECT * FROM ${names.schema}.claim_operations($1, $2::bigint, $3::text[], $4::integer)`;
