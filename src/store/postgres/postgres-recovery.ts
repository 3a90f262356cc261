import type { Pool } from 'pg';
import { attemptsExhaustedError, CANCELED_ERROR } from '../../protocol/problem.js';
import { closeOpenSteps } from '../../protocol/step-closing.js';
import type { ChangeSignal, RecoveryResult } from '../store.js';
import { appendRow, columns } from './postgres-batcher.js';
import { rows } from './postgres-connection.js';
import type { OperationRow } from './postgres-rows.js';
import type { PostgresStatements } from './postgres-statements.js';

/** Expired leases handled per call; the reaper calls again on its next round for the rest. */
const RECOVERY_BATCH = 1000;

type Action = 'requeue' | 'Canceled' | 'Failed';

/**
 * Returns expired leases to the queue, or ends them: Canceled when a cancel was asked, Failed past the
 * attempt limit. Two round trips: read the expired leases, then apply every decision in one fenced
 * statement (queries/recover-leases.ts), so reapers on several machines never act twice on one lease.
 * Expiry is judged by the database clock: `now` is not used for it.
 */
export async function recoverExpiredLeases(
  pool: Pool,
  sql: PostgresStatements,
  expiresAt: number,
): Promise<{ result: RecoveryResult; signals: ChangeSignal[] }> {
  const expired = await rows<OperationRow & { now_ms: string }>(pool, sql.expiredLeases, [
    RECOVERY_BATCH,
  ]);
  const result: RecoveryResult = { requeued: [], failed: [], canceled: [] };
  if (expired.length === 0) return { result, signals: [] };
  const values = columns(6);
  for (const row of expired) {
    const action: Action = row.cancel_requested
      ? 'Canceled'
      : row.attempts >= row.max_attempts
        ? 'Failed'
        : 'requeue';
    appendRow(values, [
      row.id,
      row.lease_token,
      action,
      action === 'requeue'
        ? `Interrupted (its worker stopped); running again, attempt ${row.attempts + 1} of ${row.max_attempts}.`
        : null,
      action === 'requeue' ? null : closedSteps(row, action),
      action === 'Canceled'
        ? JSON.stringify(CANCELED_ERROR)
        : action === 'Failed'
          ? JSON.stringify(attemptsExhaustedError(row.attempts))
          : null,
    ]);
  }
  const tenants = new Map(expired.map((row) => [row.id, row.tenant]));
  const signals: ChangeSignal[] = [];
  for (const changed of await rows<{ id: string; kind: string; action: Action }>(
    pool,
    sql.recoverLeases,
    [...values, expiresAt],
  )) {
    const tenant = tenants.get(changed.id)!;
    if (changed.action === 'requeue') result.requeued.push(changed.id);
    else if (changed.action === 'Failed') result.failed.push(changed.id);
    else result.canceled.push(changed.id);
    signals.push(
      changed.action === 'requeue'
        ? { id: changed.id, tenant, kind: 'created', operationKind: changed.kind }
        : { id: changed.id, tenant, kind: 'finished' },
    );
  }
  return { result, signals };
}

function closedSteps(row: OperationRow & { now_ms: string }, ending: 'Canceled' | 'Failed') {
  const steps = JSON.parse(row.steps);
  closeOpenSteps(steps, ending, Number(row.now_ms));
  return JSON.stringify(steps);
}
