import { type ParentMessage, type ServerStats, tellParent, tellParentError } from './ipc.js';

/**
 * Counts operations a server child creates and finishes since the parent's last `reset`, and answers
 * the parent's `reset`, `stats` and `drain` requests over IPC. Both bench servers use it, so the
 * end-to-end numbers of the bare server and of longrun are measured the same way.
 */
export class CompletionTracker {
  #created = 0;
  #finished = 0;
  #firstCreatedAt: number | undefined;
  #lastFinishedAt: number | undefined;
  #finishedIds: string[] = [];
  #drainWaiters: (() => void)[] = [];
  readonly #latencyOf: (ids: readonly string[]) => Promise<number[]>;
  readonly #onStop: () => Promise<void>;

  /** `latencyOf` turns finished ids into submit-to-start latencies (ms), read from the records. */
  constructor(
    latencyOf: (ids: readonly string[]) => Promise<number[]>,
    onStop: () => Promise<void>,
  ) {
    this.#latencyOf = latencyOf;
    this.#onStop = onStop;
    process.on('message', (message: ParentMessage) => void this.#handle(message));
    // Run by hand (BENCH_PORT=8090 node --cpu-prof --import tsx bench/longrun-server.ts): Ctrl-C stops cleanly.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void this.#handle({ type: 'stop' }));
    }
  }

  created(): void {
    this.#created++;
    this.#firstCreatedAt ??= Date.now();
  }

  finished(id: string): void {
    this.#finished++;
    this.#lastFinishedAt = Date.now();
    this.#finishedIds.push(id);
    if (this.#finished >= this.#created) for (const wake of this.#drainWaiters.splice(0)) wake();
  }

  async #handle(message: ParentMessage): Promise<void> {
    try {
      if (message.type === 'stop') {
        await this.#onStop();
        process.exit(0);
      }
      if (message.type === 'reset') await this.#drain(30_000).then(() => this.#reset());
      if (message.type === 'drain') await this.#drain(message.timeoutMs);
      const latencies = message.type === 'stats' && message.latencies;
      tellParent({ type: 'reply', seq: message.seq, stats: await this.#stats(latencies) });
    } catch (error) {
      tellParentError(error);
    }
  }

  #drain(timeoutMs: number): Promise<void> {
    if (this.#finished >= this.#created) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #reset(): void {
    this.#created = 0;
    this.#finished = 0;
    this.#firstCreatedAt = undefined;
    this.#lastFinishedAt = undefined;
    this.#finishedIds = [];
  }

  async #stats(latencies: boolean): Promise<ServerStats> {
    return {
      created: this.#created,
      finished: this.#finished,
      firstCreatedAt: this.#firstCreatedAt,
      lastFinishedAt: this.#lastFinishedAt,
      startLatencyMs: latencies ? await this.#latencyOf(this.#finishedIds) : [],
    };
  }
}
