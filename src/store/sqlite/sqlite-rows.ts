import type { OperationStatus } from '../../protocol/operation-state.js';
import type { OperationRecord, StartMethod } from '../store.js';

/** A row of the `operations` table as better-sqlite3 returns it. */
export interface OperationRow {
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
  cancel_requested: number;
  attempts: number;
  max_attempts: number;
  revision: number;
  queue_state: string;
  run_after: number;
  lease_token: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  ended_at: number | null;
  expires_at: number | null;
  tombstone_until: number | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const parsed = (value: string | null) => (value === null ? undefined : JSON.parse(value));

export function toOperationRecord(row: OperationRow): OperationRecord {
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
    cancelRequested: row.cancel_requested === 1,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: orUndefined(row.started_at),
    endedAt: orUndefined(row.ended_at),
    expiresAt: orUndefined(row.expires_at),
  };
}

/** JSON for a nullable column: undefined stays NULL (keep), everything else is serialised. */
export const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
