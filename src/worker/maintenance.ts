import type { EventHub } from '../events.js';
import type { Store } from '../store/store.js';

export interface MaintenanceOptions {
  store: Store;
  events: EventHub;
  retentionMs: number;
  tombstoneMs: number;
  /** How often expired leases are looked for. */
  recoveryIntervalMs: number;
  retentionIntervalMs?: number;
}

/**
 * The housekeeping every store needs: returns the operations of dead workers to the queue (or fails them
 * past their attempt limit) and turns finished operations past retention into tombstones, then forgets
 * them. Runs once at start-up, so a restart recovers what a crash left behind, then on timers.
 */
export class Maintenance {
  readonly #options: MaintenanceOptions;
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(options: MaintenanceOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.recover();
    await this.applyRetention();
    this.#every(this.#options.recoveryIntervalMs, () => this.recover());
    this.#every(this.#options.retentionIntervalMs ?? 60_000, () => this.applyRetention());
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
  }

  async recover(): Promise<void> {
    const now = Date.now();
    const result = await this.#options.store.recoverExpiredLeases(
      now,
      now + this.#options.retentionMs,
    );
    const { requeued, failed, canceled } = result;
    if (requeued.length + failed.length + canceled.length > 0) {
      this.#options.events.emit({
        type: 'recovery:done',
        requeued: requeued.length,
        failed: failed.length,
        canceled: canceled.length,
      });
    }
  }

  async applyRetention(): Promise<void> {
    const result = await this.#options.store.expire(Date.now(), this.#options.tombstoneMs);
    if (result.expired + result.purged > 0)
      this.#options.events.emit({ type: 'retention:done', ...result });
  }

  #every(ms: number, task: () => Promise<void>): void {
    // One run at a time: a run slower than the interval (a database under strain) is skipped over,
    // not joined by another and another until they hold every pooled connection.
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error) =>
          this.#options.events.emit({ type: 'worker:error', message: 'Maintenance failed', error }),
        )
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }
}
