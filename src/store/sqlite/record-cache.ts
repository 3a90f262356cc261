import type { OperationRecord } from '../store.js';

/**
 * The latest record of recently touched operations, so a poll between two revisions costs no SQL.
 * Sound only because this process makes every write to its SQLite file (the store declares
 * `sharedAcrossProcesses: false`): each write drops or replaces the entry of the operation it changes.
 * Records handed out are shared: callers treat them as immutable.
 *
 * Two generations rather than a strict LRU: a hit in the young one is a single Map lookup (moving
 * the entry to the back of one Map on every hit was a sixth of a 304's CPU, measured). When the
 * young generation is full it becomes the old one and the old one is dropped; an old entry read
 * again moves back to the young one. So what was read or written within the last `capacity / 2`
 * insertions always stays.
 */
export class RecordCache {
  #young = new Map<string, OperationRecord>();
  #old = new Map<string, OperationRecord>();
  readonly #generationSize: number;

  constructor(capacity = 10_000) {
    this.#generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  get(id: string): OperationRecord | undefined {
    const young = this.#young.get(id);
    if (young !== undefined) return young;
    const old = this.#old.get(id);
    if (old !== undefined) {
      this.#old.delete(id);
      this.#remember(old);
    }
    return old;
  }

  set(record: OperationRecord): void {
    this.#old.delete(record.id);
    this.#remember(record);
  }

  delete(id: string): void {
    this.#young.delete(id);
    this.#old.delete(id);
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  #remember(record: OperationRecord): void {
    if (!this.#young.has(record.id) && this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(record.id, record);
  }
}
