import { randomBytes } from 'node:crypto';
import type { EventHub } from '../events.js';
import type { OperationRegistry } from '../operations/registry.js';
import type { Store } from '../store/store.js';
import { DurationRecorder } from './duration-recorder.js';
import { LeaseKeeper } from './lease-keeper.js';
import { runClaimedOperation } from './operation-runner.js';

export interface WorkerOptions {
  store: Store;
  operations: OperationRegistry;
  events: EventHub;
  /** Operations run at once by this worker. Default 16. */
  concurrency?: number;
  /** Lease length; renewed every third of it. A dead worker's operations run again after it. Default 15 s. */
  leaseMs?: number;
  /** Fallback poll for work when no change signal arrives (scheduled retries, other processes). */
  pollMs?: number;
  retentionMs: number;
  workerId?: string;
}

/**
 * The in-process worker: claims runnable operations in batches up to its free capacity, runs them, and
 * claims again as soon as a slot frees or a new operation is signalled. Stops gracefully: no new claims,
 * running operations get a grace period, then their signals are aborted and their leases released.
 */
export class Worker {
  readonly id: string;
  readonly #options: Required<Omit<WorkerOptions, 'workerId'>>;
  readonly #leases: LeaseKeeper;
  readonly #durations: DurationRecorder;
  /** Runs whose user code is still going: what `concurrency` limits. */
  #busySlots = 0;
  /** Runs not yet fully recorded (their outcome may still be committing): what a stop waits for. */
  readonly #running = new Set<Promise<void>>();
  /** The claim loop in progress, if any: a stop waits for it, so late claims still get their grace. */
  #claiming: Promise<void> | undefined;
  #again = false;
  /**
   * Whether runnable operations may be waiting: false once a claim came back short (the queue was
   * empty), true again on a signal or poll. A freed slot claims only then: a worker draining a lone
   * operation at a time does not follow each one with an empty claim.
   */
  #backlog = true;
  #stopping = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: WorkerOptions) {
    this.id = options.workerId ?? `w${randomBytes(4).toString('hex')}`;
    this.#options = { concurrency: 16, leaseMs: 15_000, pollMs: 1000, ...options };
    this.#leases = new LeaseKeeper(options.store, this.#options.leaseMs, (error) =>
      this.#options.events.emit({ type: 'worker:error', message: 'Lease renewal failed', error }),
    );
    this.#durations = new DurationRecorder(options.store, (error) =>
      this.#options.events.emit({
        type: 'worker:error',
        message: 'Recording durations failed',
        error,
      }),
    );
  }

  get activeCount(): number {
    return this.#busySlots;
  }

  start(): void {
    this.#leases.start();
    this.#unsubscribe = this.#options.store.onChange(
      (signal) => {
        // A new operation of a kind this worker does not run is not its business.
        if (signal.kind !== 'created') return;
        if (signal.operationKind === undefined || this.#runs(signal.operationKind))
          this.#lookAgain();
      },
      { kinds: ['created'] },
    );
    this.#pollTimer = setInterval(() => this.#lookAgain(), this.#options.pollMs);
    this.#pollTimer.unref();
    this.#lookAgain();
  }

  /** Graceful stop: no new claims; after `graceMs`, abort what still runs and release its leases. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#pollTimer);
    this.#unsubscribe?.();
    await this.#claiming;
    const settled = Promise.allSettled([...this.#running]);
    const graceTimer = setTimeout(() => this.#leases.abortAll('shutdown'), graceMs);
    await settled;
    clearTimeout(graceTimer);
    this.#leases.stop();
    await this.#durations.flush();
  }

  #runs(kind: string): boolean {
    return this.#options.operations.get(kind) !== undefined;
  }

  /** Work may be waiting (a signal, the poll): claim now, or as soon as the claim under way ends. */
  #lookAgain(): void {
    this.#backlog = true;
    this.#wake();
  }

  #wake(): void {
    if (this.#stopping || !this.#backlog) return;
    if (this.#claiming) {
      this.#again = true;
      return;
    }
    const loop = this.#claim().finally(() => {
      if (this.#claiming !== loop) return;
      this.#claiming = undefined;
      // A wake-up that arrived after the loop's last check would otherwise be lost.
      if (this.#again) this.#wake();
    });
    this.#claiming = loop;
  }

  async #claim(): Promise<void> {
    try {
      do {
        this.#again = false;
        const free = this.#options.concurrency - this.#busySlots;
        if (free <= 0 || this.#stopping) break;
        const claimed = await this.#options.store.claim({
          workerId: this.id,
          kinds: this.#options.operations.kinds,
          limit: free,
          leaseMs: this.#options.leaseMs,
        });
        for (const item of claimed) this.#run(item);
        // A full batch means more may be waiting; a short one, that the queue was empty.
        if (claimed.length === free) this.#again = true;
        else if (!this.#again) this.#backlog = false;
      } while (this.#again);
    } catch (error) {
      this.#options.events.emit({ type: 'worker:error', message: 'Claiming failed', error });
    }
  }

  #run(claimed: Awaited<ReturnType<Store['claim']>>[number]): void {
    const { operation } = claimed;
    const definition = this.#options.operations.get(operation.kind)!;
    this.#options.events.emit({
      type: 'operation:claimed',
      id: operation.id,
      kind: operation.kind,
      attempt: operation.attempts,
      workerId: this.id,
    });
    this.#busySlots++;
    let slotFreed = false;
    const freeSlot = () => {
      if (slotFreed) return;
      slotFreed = true;
      this.#busySlots--;
      this.#wake();
    };
    const deps = {
      store: this.#options.store,
      leases: this.#leases,
      events: this.#options.events,
      retentionMs: this.#options.retentionMs,
      durations: this.#durations,
    };
    const run = runClaimedOperation(claimed, definition, deps, freeSlot)
      .catch((error) => {
        const message = `Running ${operation.id} failed`;
        this.#options.events.emit({ type: 'worker:error', message, error });
      })
      .finally(() => {
        this.#running.delete(run);
        freeSlot();
      });
    this.#running.add(run);
  }
}
