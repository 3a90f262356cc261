import type { ListQuery } from '../store.js';
import { OPERATION_SELECT } from './sqlite-rows.js';

/**
 * The list query for one set of filters. Newest first by id (ids are time-ordered), served by the
 * (tenant, id) index; the cursor is the last id of the previous page.
 */
export function listOperationsSql(query: ListQuery, now: number) {
  const where = [
    'tenant = @tenant',
    'tombstone_until IS NULL',
    '(expires_at IS NULL OR expires_at > @now)',
  ];
  const params: Record<string, unknown> = { tenant: query.tenant, now, limit: query.limit };
  if (query.beforeId !== undefined) {
    where.push('id < @beforeId');
    params.beforeId = query.beforeId;
  }
  if (query.statuses?.length) {
    where.push('status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(query.statuses);
  }
  if (query.kinds?.length) {
    where.push('kind IN (SELECT value FROM json_each(@kinds))');
    params.kinds = JSON.stringify(query.kinds);
  }
  return {
    sql: `SELECT ${OPERATION_SELECT} FROM operations WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`,
    params,
  };
}
