import type { Pool } from 'pg';
import { newOperationIdSuffix } from '../operation-id.js';
import type { CreateResult, NewOperation } from '../store.js';
import {
  appendRow,
  Batcher,
  columns,
  rounds,
  type Settled,
  settleRound,
} from './postgres-batcher.js';
import { isStatementError, rows } from './postgres-connection.js';
import { type OperationRow, toOperationRecord } from './postgres-rows.js';
import type { PostgresStatements } from './postgres-statements.js';

interface CreateItem {
  /** The random part of its id; the statement adds the time part. */
  suffix: string;
  operation: NewOperation;
}

type InsertedRow = Partial<OperationRow> & {
  input_suffix: string;
  key_operation_id: string | null;
  key_fingerprint: string | null;
};

/** A key whose operation is gone is forgotten and the create tried again; a few times at most. */
const MAX_TRIES = 3;

/**
 * Batches the creates of an event-loop turn into one multi-row INSERT (queries/insert-operations.ts):
 * one round trip and one commit for all of them. Two creates with the same idempotency key go in
 * successive rounds, so the second replays the first. Two flushes may run at once: the database,
 * not the batcher, decides races on a key (several API nodes create concurrently anyway).
 */
export function createBatcher(pool: Pool, sql: PostgresStatements, maxBatch: number) {
  const insert = async (round: readonly CreateItem[], tries = 1): Promise<CreateResult[]> => {
    const keyed = round.some((item) => item.operation.idempotency !== undefined);
    const values = insertValues(round);
    const inserted = keyed
      ? await rows<InsertedRow>(pool, sql.insertOperations, values)
      : await rows<InsertedRow>(pool, sql.insertUnkeyedOperations, values.slice(0, 8));
    const byInput = new Map(inserted.map((row) => [row.input_suffix, row]));
    const answers = round.map((item): CreateResult | InsertedRow => {
      const row = byInput.get(item.suffix);
      if (!row) throw new Error(`The insert gave no answer for operation …${item.suffix}.`);
      if (row.id) return { outcome: 'created', operation: toOperationRecord(row as OperationRow) };
      if (row.key_fingerprint !== item.operation.idempotency?.fingerprint) {
        return { outcome: 'key-reused' };
      }
      return row;
    });
    const holders = answers.filter((answer): answer is InsertedRow => 'input_suffix' in answer);
    if (holders.length === 0) return answers as CreateResult[];
    const originals = new Map(
      (
        await rows<OperationRow & { entombed: boolean }>(pool, sql.operationsById, [
          holders.map((holder) => holder.key_operation_id),
        ])
      ).map((row) => [row.id, row]),
    );
    return Promise.all(
      answers.map(async (answer, index): Promise<CreateResult> => {
        if (!('input_suffix' in answer)) return answer;
        const original = originals.get(answer.key_operation_id!);
        // A key whose operation was deleted, purged or has expired starts a new one: nothing to replay.
        if (original && !original.entombed) {
          return { outcome: 'replayed', operation: toOperationRecord(original) };
        }
        const item = round[index]!;
        const { tenant, idempotency } = item.operation;
        if (tries >= MAX_TRIES)
          throw new Error(`Idempotency key ${idempotency!.key} kept changing hands.`);
        await pool.query({
          ...sql.forgetStaleKey,
          values: [tenant, idempotency!.scope, idempotency!.key, answer.key_operation_id],
        });
        return (await insert([item], tries + 1))[0]!;
      }),
    );
  };
  return new Batcher<NewOperation, CreateResult>(
    async (operations) => {
      const items = operations.map((operation) => ({ suffix: newOperationIdSuffix(), operation }));
      const settled: Settled<CreateResult>[] = [];
      for (const round of rounds(items, keyOf)) {
        settled.push(...(await settleRound(round, insert, isStatementError)));
      }
      return settled;
    },
    { maxBatch, maxInFlight: 2 },
  );
}

const keyOf = ({ operation: { tenant, idempotency: key } }: CreateItem) =>
  key && JSON.stringify([tenant, key.scope, key.key]);

/** The statement's 12 parallel arrays, one element per new operation. */
function insertValues(round: readonly CreateItem[]): unknown[][] {
  const values = columns(12);
  for (const { suffix, operation } of round) {
    const key = operation.idempotency;
    appendRow(values, [
      suffix,
      operation.tenant,
      operation.kind,
      operation.title ?? null,
      operation.method,
      JSON.stringify(operation.input ?? null),
      JSON.stringify(operation.steps),
      operation.maxAttempts,
      key?.scope ?? null,
      key?.key ?? null,
      key?.fingerprint ?? null,
      key?.expiresAt ?? null,
    ]);
  }
  return values;
}
