import type { Pool } from 'pg';
import { isTerminal } from '../../protocol/operation-state.js';
import { CANCELED_ERROR } from '../../protocol/problem.js';
import { closeOpenSteps } from '../../protocol/step-closing.js';
import type { CancelResult, ChangeSignal } from '../store.js';
import { rows } from './postgres-connection.js';
import { type OperationRow, toOperationRecord } from './postgres-rows.js';
import type { PostgresStatements } from './postgres-statements.js';

type Target = OperationRow & { entombed: boolean; now_ms: string };

/**
 * A cancel request. Reads the operation, then writes only if it is still at the revision read
 * (optimistic: no transaction held across round trips); a write in between means read and decide
 * again. A leased operation becomes Canceling and its worker is signalled; one no worker holds is
 * Canceled at once. Asked again, nothing changes (no new revision, no new signal).
 */
export async function requestCancel(
  pool: Pool,
  sql: PostgresStatements,
  tenant: string,
  id: string,
  expiresAt: number,
): Promise<{ result: CancelResult; signal?: ChangeSignal['kind'] }> {
  for (;;) {
    const [row] = await rows<Target>(pool, sql.cancelTarget, [id, tenant]);
    if (!row) return { result: { outcome: 'missing' } };
    if (row.entombed) return { result: { outcome: 'gone' } };
    const operation = toOperationRecord(row);
    if (operation.status === 'Canceled') {
      return { result: { outcome: 'already-canceled', operation } };
    }
    if (isTerminal(operation.status)) return { result: { outcome: 'finished', operation } };
    if (row.queue_state === 'leased') {
      if (row.cancel_requested) return { result: { outcome: 'canceling', operation } };
      const [marked] = await rows<OperationRow>(pool, sql.markCanceling, [id, row.revision]);
      if (!marked) continue;
      const result = { outcome: 'canceling' as const, operation: toOperationRecord(marked) };
      return { result, signal: 'cancel-requested' };
    }
    closeOpenSteps(operation.steps, 'Canceled', Number(row.now_ms));
    const [canceled] = await rows<OperationRow>(pool, sql.cancelQueued, [
      id,
      row.revision,
      JSON.stringify(CANCELED_ERROR),
      JSON.stringify(operation.steps),
      expiresAt,
    ]);
    if (!canceled) continue;
    return {
      result: { outcome: 'canceled', operation: toOperationRecord(canceled) },
      signal: 'finished',
    };
  }
}
