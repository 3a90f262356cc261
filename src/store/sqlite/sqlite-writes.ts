import { CANCELED_ERROR, type ErrorBody } from '../../protocol/problem.js';
import { closeOpenSteps } from '../../protocol/step-closing.js';
import { newOperationId } from '../operation-id.js';
import type {
  CreateResult,
  FinishOutcome,
  Lease,
  NewOperation,
  OperationRecord,
  ProgressUpdate,
} from '../store.js';
import { jsonOrNull, type OperationRow, toOperationRecord } from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';

const CANCELED_ERROR_JSON = JSON.stringify(CANCELED_ERROR);

/** The record of a just-inserted operation, as the insert's column defaults make it. */
export function newRecord(id: string, operation: NewOperation, now: number): OperationRecord {
  return {
    id,
    tenant: operation.tenant,
    kind: operation.kind,
    title: operation.title,
    method: operation.method,
    status: 'NotStarted',
    input: operation.input ?? null,
    message: undefined,
    percentComplete: undefined,
    progress: undefined,
    steps: operation.steps,
    result: undefined,
    resourceLocation: undefined,
    error: undefined,
    resultHttpStatus: undefined,
    cancelRequested: false,
    attempts: 0,
    maxAttempts: operation.maxAttempts,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    startedAt: undefined,
    endedAt: undefined,
    expiresAt: undefined,
  };
}

/** Past retention: a tombstone (or about to become one), answered 410. */
export function isEntombed(row: OperationRow, now: number): boolean {
  return row.tombstone_until !== null || (row.expires_at !== null && row.expires_at <= now);
}

/** Statement parameters for what a running operation reports; NULL keeps the stored value. */
export function progressParams(update: ProgressUpdate) {
  return {
    message: update.message ?? null,
    percent: update.percentComplete ?? null,
    progress: jsonOrNull(update.progress),
    steps: jsonOrNull(update.steps),
  };
}

/** Parameters of the finish statement for a success (or what a cancel request turns it into). */
export function finishParams(lease: Lease, outcome: FinishOutcome) {
  return {
    id: lease.id,
    token: lease.token,
    now: Date.now(),
    ...progressParams(outcome),
    status: outcome.status,
    result: jsonOrNull(outcome.result),
    resourceLocation: outcome.resourceLocation ?? null,
    error: jsonOrNull(outcome.error),
    canceledError: CANCELED_ERROR_JSON,
    resultHttpStatus: outcome.resultHttpStatus ?? null,
    expiresAt: outcome.expiresAt,
  };
}

/** Ends an operation no worker holds (queued, or its worker died): Canceled or Failed at once. */
export function endUnleased(
  sql: SqliteStatements,
  row: OperationRow,
  status: 'Canceled' | 'Failed',
  error: ErrorBody,
  httpStatus: number,
  expiresAt: number,
  now: number,
): void {
  const steps = JSON.parse(row.steps);
  closeOpenSteps(steps, status, now);
  sql.finish.run({
    id: row.id,
    token: null,
    canceledError: CANCELED_ERROR_JSON,
    now,
    message: null,
    percent: null,
    progress: null,
    steps: JSON.stringify(steps),
    status,
    result: null,
    resourceLocation: null,
    error: JSON.stringify(error),
    resultHttpStatus: httpStatus,
    expiresAt,
  });
}

/**
 * Inserts a new operation with its idempotency key, or answers the key's earlier operation (replayed)
 * or its misuse with another request (key-reused). Runs inside one group-commit write.
 */
export function insertOperation(sql: SqliteStatements, operation: NewOperation): CreateResult {
  const now = Date.now();
  const key = operation.idempotency;
  if (key) {
    const seen = sql.keyLookup.get(operation.tenant, key.scope, key.key, now) as
      | { fingerprint: string; operation_id: string }
      | undefined;
    if (seen && seen.fingerprint !== key.fingerprint) return { outcome: 'key-reused' };
    const original = seen && sql.byId.get(seen.operation_id);
    // A key whose operation was deleted or purged starts a new one: there is nothing to replay.
    if (original && !isEntombed(original, now)) {
      return { outcome: 'replayed', operation: toOperationRecord(original) };
    }
  }
  const id = newOperationId(now);
  sql.insert.run({
    id,
    tenant: operation.tenant,
    kind: operation.kind,
    title: operation.title ?? null,
    method: operation.method,
    input: JSON.stringify(operation.input ?? null),
    steps: JSON.stringify(operation.steps),
    maxAttempts: operation.maxAttempts,
    now,
  });
  if (key) sql.keyUpsert.run({ tenant: operation.tenant, ...key, operationId: id });
  return { outcome: 'created', operation: newRecord(id, operation, now) };
}
