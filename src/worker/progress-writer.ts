import type { RunState } from '../operations/run-context.js';
import { operationPercent } from '../protocol/step-rollup.js';
import type { Lease, ProgressUpdate, Store } from '../store/store.js';

/**
 * Persists a run's progress without ever queueing more than one write per operation: changes made while
 * a write is in flight are folded into the next one. A bar that moves 1000 times a second costs one
 * write per group commit, and the last state always lands.
 */
export class ProgressWriter {
  readonly #store: Store;
  readonly #lease: Lease;
  readonly #state: RunState;
  readonly #onLeaseLost: () => void;
  readonly #onError: (error: unknown) => void;
  #inFlight: Promise<void> | undefined;
  #dirty = false;

  constructor(
    store: Store,
    lease: Lease,
    state: RunState,
    onLeaseLost: () => void,
    onError: (error: unknown) => void = () => {},
  ) {
    this.#store = store;
    this.#lease = lease;
    this.#state = state;
    this.#onLeaseLost = onLeaseLost;
    this.#onError = onError;
  }

  /** Something changed: write it soon (coalesced with everything else that changes this turn). */
  changed(): void {
    this.#dirty = true;
    this.#inFlight ??= this.#drain();
  }

  /** Resolves once everything changed so far is written (or the lease is known lost). */
  async flushed(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  snapshot(): ProgressUpdate {
    const update: ProgressUpdate = { steps: this.#state.steps };
    const percent = operationPercent(this.#state.progress, this.#state.steps);
    if (percent !== undefined) update.percentComplete = percent;
    if (this.#state.message !== undefined) update.message = this.#state.message;
    if (this.#state.progress !== undefined) update.progress = this.#state.progress;
    return update;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        // Yield once so that changes made synchronously together share this write.
        await Promise.resolve();
        let held: boolean;
        try {
          held = await this.#store.update(this.#lease, this.snapshot());
        } catch (error) {
          // The store failed (say, the database restarting). Nobody awaits this write until the run
          // ends, so a rejection here would crash the process: report it instead. Nothing is lost:
          // every write carries the whole state, so the next one (or the finish) records it.
          this.#onError(error);
          return;
        }
        if (!held) {
          this.#onLeaseLost();
          return;
        }
      }
    } finally {
      this.#inFlight = undefined;
    }
  }
}
