import type { OperationRecord } from '../store.js';

/**
 * The latest record of recently touched operations, so a poll between two revisions costs no SQL.
 * Sound only because this process makes every write to its SQLite file (the store declares
 * `sharedAcrossProcesses: false`): each write drops or replaces the entry of the operation it changes.
 * Records handed out are shared: callers treat them as immutable. Least recently used entries go first.
 */
export class RecordCache {
  readonly #records = new Map<string, OperationRecord>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  get(id: string): OperationRecord | undefined {
    const record = this.#records.get(id);
    if (record) {
      this.#records.delete(id);
      this.#records.set(id, record);
    }
    return record;
  }

  set(record: OperationRecord): void {
    this.#records.delete(record.id);
    this.#records.set(record.id, record);
    if (this.#records.size > this.#capacity) {
      this.#records.delete(this.#records.keys().next().value!);
    }
  }

  delete(id: string): void {
    this.#records.delete(id);
  }

  clear(): void {
    this.#records.clear();
  }
}
