import type { AbortCause } from '../operations/errors.js';
import type { RunAbort } from '../operations/run-abort.js';
import type { Lease, Store } from '../store/store.js';

interface HeldLease {
  lease: Lease;
  /** How the run is told to stop. */
  run: RunAbort;
}

/**
 * Keeps the leases of a worker's running operations alive: renews them all in one batch well inside the
 * lease (every third of it), and aborts a run the moment its lease is lost or its cancel is requested.
 * Cancel requests arrive at once through the store's change signals; renewal is the fallback.
 */
export class LeaseKeeper {
  readonly #store: Store;
  readonly #leaseMs: number;
  readonly #held = new Map<string, HeldLease>();
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(store: Store, leaseMs: number, onError: (error: unknown) => void) {
    this.#store = store;
    this.#leaseMs = leaseMs;
    this.#onError = onError;
  }

  start(): void {
    this.#unsubscribe = this.#store.onChange(
      (signal) => {
        if (signal.kind === 'cancel-requested') this.abort(signal.id, 'cancel');
      },
      { kinds: ['cancel-requested'] },
    );
    this.#timer = setInterval(() => void this.#renewAll(), Math.max(50, this.#leaseMs / 3));
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
  }

  hold(lease: Lease, run: RunAbort): void {
    this.#held.set(lease.id, { lease, run });
  }

  drop(id: string): void {
    this.#held.delete(id);
  }

  abort(id: string, cause: AbortCause): void {
    this.#held.get(id)?.run.abort(cause);
  }

  abortAll(cause: AbortCause): void {
    for (const id of this.#held.keys()) this.abort(id, cause);
  }

  async #renewAll(): Promise<void> {
    if (this.#held.size === 0) return;
    try {
      const leases = [...this.#held.values()].map((held) => held.lease);
      for (const result of await this.#store.renew(leases, this.#leaseMs)) {
        if (!result.held) this.abort(result.id, 'lease-lost');
        else if (result.cancelRequested) this.abort(result.id, 'cancel');
      }
    } catch (error) {
      this.#onError(error);
    }
  }
}
