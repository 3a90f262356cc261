import type { OperationStatus } from '../../protocol/operation-state.js';
import type { OperationRecord, ProgressUpdate, StartMethod } from '../store.js';

/** A row of the `operations` table as pg returns it: bigint columns arrive as strings. */
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
  cancel_requested: boolean;
  attempts: number;
  max_attempts: number;
  revision: number;
  queue_state: string;
  run_after: string;
  lease_token: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  ended_at: string | null;
  expires_at: string | null;
  tombstone_until: string | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const parsed = (value: string | null) => (value === null ? undefined : JSON.parse(value));
const epochMs = (value: string | null) => (value === null ? undefined : Number(value));

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
    cancelRequested: row.cancel_requested,
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

/** The progress columns of an update, finish or release, in statement order; absent fields are NULL. */
export function progressColumns(update: ProgressUpdate): unknown[] {
  return [
    update.message ?? null,
    update.percentComplete ?? null,
    jsonOrNull(update.progress),
    jsonOrNull(update.steps),
  ];
}
