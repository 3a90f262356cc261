import type { OperationHandle, OperationSnapshot } from '../../../src/client/index.js';

interface Waiter {
  accept: (snapshot: OperationSnapshot) => boolean;
  resolve: (snapshot: OperationSnapshot) => void;
}

/** Subscribes to a handle and keeps every snapshot, so a test can wait for one and check them all. */
export class SnapshotRecorder {
  readonly snapshots: OperationSnapshot[] = [];
  /** Settles when the subscription completes (resolves) or errors (rejects). */
  readonly ended: Promise<void>;
  readonly unsubscribe: () => void;
  readonly #waiters = new Set<Waiter>();

  constructor(handle: OperationHandle, signal?: AbortSignal) {
    let complete!: () => void;
    let fail!: (error: unknown) => void;
    this.ended = new Promise((resolve, reject) => {
      complete = resolve;
      fail = reject;
    });
    this.ended.catch(() => {});
    this.unsubscribe = handle.subscribe(
      {
        next: (snapshot) => {
          this.snapshots.push(snapshot);
          for (const waiter of this.#waiters) {
            if (waiter.accept(snapshot)) waiter.resolve(snapshot);
          }
        },
        error: fail,
        complete,
      },
      signal ? { signal } : {},
    );
  }

  /** Resolves with the first snapshot (seen already or still to come) that `accept` takes. */
  reached(
    accept: (snapshot: OperationSnapshot) => boolean,
    what: string,
    timeoutMs = 8000,
  ): Promise<OperationSnapshot> {
    const seen = this.snapshots.find(accept);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const statuses = this.snapshots.map((s) => `${s.status}:${s.progress?.completed ?? '-'}`);
        reject(new Error(`No snapshot showed ${what} within ${timeoutMs} ms; saw ${statuses}`));
      }, timeoutMs);
      const waiter: Waiter = {
        accept,
        resolve: (snapshot) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(snapshot);
        },
      };
      this.#waiters.add(waiter);
    });
  }
}

/** `progress.completed` of each snapshot, for checking that each stage was seen exactly once. */
export function completedStages(snapshots: readonly OperationSnapshot[]): number[] {
  return snapshots
    .filter((snapshot) => snapshot.status === 'Running' && snapshot.progress !== undefined)
    .map((snapshot) => snapshot.progress!.completed);
}
