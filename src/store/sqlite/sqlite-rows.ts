import type BetterSqlite3 from 'better-sqlite3';
import type { OperationColumns } from '../operation-columns.js';

export { jsonOrNull, toOperationRecord } from '../operation-columns.js';

/** A row of the `operations` table. */
export interface OperationRow extends OperationColumns {
  cancel_requested: number;
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

/** Every column of `operations`, in the order `operationRow` reads them. */
const OPERATION_COLUMNS = [
  'id',
  'tenant',
  'kind',
  'title',
  'method',
  'status',
  'input',
  'message',
  'percent',
  'progress',
  'steps',
  'result',
  'resource_location',
  'error',
  'result_http_status',
  'cancel_requested',
  'attempts',
  'max_attempts',
  'revision',
  'queue_state',
  'run_after',
  'lease_token',
  'lease_expires_at',
  'created_at',
  'updated_at',
  'started_at',
  'ended_at',
  'expires_at',
  'tombstone_until',
] as const satisfies readonly (keyof OperationRow)[];

/** The select list for `OperationRowStatement`s: `SELECT ${OPERATION_SELECT} FROM operations ...`. */
export const OPERATION_SELECT = OPERATION_COLUMNS.join(', ');

// One object literal, in column order: V8 builds it with a single shape. better-sqlite3's own row
// objects define each of the 29 properties one at a time, ~7 µs more per row than reading the
// values (measured on a 30-column table), paid for every claimed operation.
function operationRow(v: readonly unknown[]): OperationRow {
  return {
    id: v[0],
    tenant: v[1],
    kind: v[2],
    title: v[3],
    method: v[4],
    status: v[5],
    input: v[6],
    message: v[7],
    percent: v[8],
    progress: v[9],
    steps: v[10],
    result: v[11],
    resource_location: v[12],
    error: v[13],
    result_http_status: v[14],
    cancel_requested: v[15],
    attempts: v[16],
    max_attempts: v[17],
    revision: v[18],
    queue_state: v[19],
    run_after: v[20],
    lease_token: v[21],
    lease_expires_at: v[22],
    created_at: v[23],
    updated_at: v[24],
    started_at: v[25],
    ended_at: v[26],
    expires_at: v[27],
    tombstone_until: v[28],
  } as OperationRow;
}

/**
 * A statement that selects (or returns) `OPERATION_SELECT`, read in raw mode and turned into
 * `OperationRow`s by `operationRow`.
 */
export class OperationRowStatement {
  readonly #statement: BetterSqlite3.Statement<unknown[], unknown[]>;

  constructor(db: BetterSqlite3.Database, sql: string) {
    const statement = db.prepare<unknown[], unknown[]>(sql).raw(true);
    const names = statement.columns().map((column) => column.name);
    if (names.join(', ') !== OPERATION_SELECT) {
      throw new Error(`An operation row statement must select ${OPERATION_SELECT}; got ${names}`);
    }
    this.#statement = statement;
  }

  get(...params: unknown[]): OperationRow | undefined {
    const values = this.#statement.get(...params);
    return values && operationRow(values);
  }

  all(...params: unknown[]): OperationRow[] {
    return this.#statement.all(...params).map(operationRow);
  }
}
