import type { SqlNames } from '../postgres-config.js';
import { ENTOMBED, NOW_MS } from './sql-parts.js';

/** One operation of one tenant ($1 id, $2 tenant), with whether it is past retention (`entombed`). */
export const getOperationSql = (names: SqlNames) => `
SELECT *, ${ENTOMBED} AS entombed FROM ${names.operations} WHERE id = $1 AND tenant = $2`;

/** Operations by id ($1 text[]), whatever their tenant: the ones an idempotency key points at. */
export const operationsByIdSql = (names: SqlNames) => `
SELECT *, ${ENTOMBED} AS entombed FROM ${names.operations} WHERE id = ANY($1::text[])`;

/**
 * The newest succeeded operation that made the resource at $2 for tenant $1. Served by
 * operations_by_resource; tombstones no longer answer for a resource.
 */
export const byResourceSql = (names: SqlNames) => `
SELECT * FROM ${names.operations}
WHERE tenant = $1 AND resource_location = $2 AND status = 'Succeeded' AND tombstone_until IS NULL
ORDER BY id DESC LIMIT 1`;

/**
 * The target of a cancel request ($1 id, $2 tenant), with the database clock (`now_ms`) the closed
 * steps are stamped with.
 */
export const cancelTargetSql = (names: SqlNames) => `
SELECT *, ${ENTOMBED} AS entombed, ${NOW_MS} AS now_ms
FROM ${names.operations} WHERE id = $1 AND tenant = $2`;
