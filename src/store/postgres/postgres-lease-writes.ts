import type { Pool } from 'pg';
import { CANCELED_ERROR } from '../../protocol/problem.js';
import type { FinishOutcome, Lease, ProgressUpdate, ReleaseOptions } from '../store.js';
import {
  appendRow,
  Batcher,
  columns,
  rounds,
  type Settled,
  settleRound,
} from './postgres-batcher.js';
import { isStatementError, rows, type Statement } from './postgres-connection.js';
import { jsonOrNull, progressColumns } from './postgres-rows.js';

/** One lease-fenced write a worker makes. */
export type LeaseWrite =
  | { write: 'update'; lease: Lease; update: ProgressUpdate }
  | { write: 'finish'; lease: Lease; outcome: FinishOutcome }
  | { write: 'renew'; lease: Lease; leaseMs: number }
  | { write: 'release'; lease: Lease; options: ReleaseOptions; delayMs: number };

/** Whether the write applied (the lease was held), and for a renewal whether a cancel was asked. */
export interface LeaseWriteResult {
  applied: boolean;
  cancelRequested: boolean;
}

const CANCELED_ERROR_JSON = JSON.stringify(CANCELED_ERROR);

/**
 * Batches the lease-fenced writes of an event-loop turn into one statement (queries/lease-writes.ts).
 * One flush at a time, so two writes to one operation commit in the order they were made.
 */
export function leaseWriteBatcher(pool: Pool, sql: Statement, maxBatch: number) {
  const runRound = async (round: readonly LeaseWrite[]): Promise<LeaseWriteResult[]> => {
    const applied = new Map<string, boolean>();
    for (const row of await rows<{ write: string; id: string | null; cancel_requested: boolean }>(
      pool,
      sql,
      leaseWriteValues(round),
    )) {
      if (row.id !== null) applied.set(`${row.write}:${row.id}`, row.cancel_requested === true);
    }
    return round.map((item) => {
      const cancelRequested = applied.get(`${item.write}:${item.lease.id}`);
      return { applied: cancelRequested !== undefined, cancelRequested: cancelRequested ?? false };
    });
  };
  return new Batcher<LeaseWrite, LeaseWriteResult>(
    async (items) => {
      const settled: Settled<LeaseWriteResult>[] = [];
      for (const round of rounds(items, (item) => item.lease.id)) {
        settled.push(...(await settleRound(round, runRound, isStatementError)));
      }
      return settled;
    },
    { maxBatch, maxInFlight: 1 },
  );
}

/** The statement's 30 parameters: parallel arrays per kind of write, in queries/lease-writes.ts order. */
function leaseWriteValues(round: readonly LeaseWrite[]): unknown[] {
  const update = columns(6);
  const finish = columns(12);
  const renew = columns(3);
  const release = columns(8);
  for (const item of round) {
    const { id, token } = item.lease;
    if (item.write === 'update') {
      appendRow(update, [id, token, ...progressColumns(item.update)]);
    } else if (item.write === 'finish') {
      const { outcome } = item;
      appendRow(finish, [
        id,
        token,
        ...progressColumns(outcome),
        outcome.status,
        jsonOrNull(outcome.result),
        outcome.resourceLocation ?? null,
        jsonOrNull(outcome.error),
        outcome.resultHttpStatus ?? null,
        outcome.expiresAt,
      ]);
    } else if (item.write === 'renew') {
      appendRow(renew, [id, token, item.leaseMs]);
    } else {
      const { options } = item;
      const refund = options.refundAttempt ? 1 : 0;
      appendRow(release, [id, token, item.delayMs, refund, ...progressColumns(options)]);
    }
  }
  return [...update, ...finish, CANCELED_ERROR_JSON, ...renew, ...release];
}
