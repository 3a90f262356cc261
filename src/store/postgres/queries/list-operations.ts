import type { ListQuery } from '../../store.js';
import type { SqlNames } from '../postgres-config.js';
import { NOW_MS } from './sql-parts.js';

/**
 * The list query for one set of filters. Newest first by id (ids are time-ordered, collated "C"),
 * served by the (tenant, id) index; the cursor is the last id of the previous page. Built per call
 * (only the filters given appear, so the planner sees the real predicate) and run unprepared.
 */
export function listOperationsSql(names: SqlNames, query: ListQuery) {
  const values: unknown[] = [query.tenant, query.limit];
  const where = [
    'tenant = $1',
    'tombstone_until IS NULL',
    `(expires_at IS NULL OR expires_at > ${NOW_MS})`,
  ];
  if (query.beforeId !== undefined) {
    values.push(query.beforeId);
    where.push(`id < $${values.length}`);
  }
  if (query.statuses?.length) {
    values.push(query.statuses);
    where.push(`status = ANY($${values.length}::text[])`);
  }
  if (query.kinds?.length) {
    values.push(query.kinds);
    where.push(`kind = ANY($${values.length}::text[])`);
  }
  return {
    text: `SELECT * FROM ${names.operations} WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $2`,
    values,
  };
}
