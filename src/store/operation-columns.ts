import type { OperationStatus } from '../protocol/operation-state.js';
import type { OperationRecord, StartMethod } from './store.js';

/**
 * The `operations` columns both stores share, as their drivers return them: SQLite gives integers
 * and 0/1, pg gives bigints as strings and booleans. Each store's row type is assignable to this.
 */
export interface OperationColumns {
  id: string;
  tenant: string;
  kind: string;
  title: string | null;
  method: string;
  status: string;
  input: string | null;
  message: string | null;
  percent: number | null;
  progress: string | null;
  steps: string;
  result: string | null;
  resource_location: string | null;
  error: string | null;
  result_http_status: number | null;
  cancel_requested: number | boolean;
  attempts: number;
  max_attempts: number;
  revision: number;
  created_at: number | string;
  updated_at: number | string;
  started_at: number | string | null;
  ended_at: number | string | null;
  expires_at: number | string | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const parsed = (value: string | null) => (value === null ? undefined : JSON.parse(value));
const epochMs = (value: number | string | null) => (value === null ? undefined : Number(value));

/** A stored row as the record every store hands out. */
export function toOperationRecord(row: OperationColumns): OperationRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    kind: row.kind,
    title: orUndefined(row.title),
    method: row.method as StartMethod,
    status: row.status as OperationStatus,
    input: parsed(row.input),
    message: orUndefined(row.message),
    percentComplete: orUndefined(row.percent),
    progress: parsed(row.progress),
    steps: JSON.parse(row.steps),
    result: parsed(row.result),
    resourceLocation: orUndefined(row.resource_location),
    error: parsed(row.error),
    resultHttpStatus: orUndefined(row.result_http_status),
    cancelRequested: row.cancel_requested === true || row.cancel_requested === 1,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    revision: row.revision,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    startedAt: epochMs(row.started_at),
    endedAt: epochMs(row.ended_at),
    expiresAt: epochMs(row.expires_at),
  };
}

/** JSON for a nullable column: undefined stays NULL (keep), everything else is serialised. */
export const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
