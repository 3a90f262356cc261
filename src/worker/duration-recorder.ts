import type { TerminalStatus } from '../protocol/operation-state.js';
import { estimateBasisCache } from '../store/estimate-basis-cache.js';
import type { DurationSample, OperationRecord, StepRecord, Store } from '../store/store.js';

/**
 * The durations one finished run contributes: the operation's, from its first start (so the history
 * means what a client waits: start to end, retries included), and each step's that ran and ended
 * (Succeeded, Failed or Canceled; Skipped and NotStarted steps never ran). Which of them feed estimates
 * (successes only) and which only the counts is decided in protocol/durations.ts.
 */
export function durationSamples(
  operation: Pick<OperationRecord, 'tenant' | 'kind' | 'startedAt'>,
  steps: readonly StepRecord[],
  status: TerminalStatus,
  endedAt: number,
): DurationSample[] {
  const { tenant, kind } = operation;
  const samples: DurationSample[] = [
    {
      tenant,
      kind,
      path: [],
      status,
      durationMs: Math.max(0, endedAt - (operation.startedAt ?? endedAt)),
      endedAt,
    },
  ];
  const visit = (list: readonly StepRecord[], parent: readonly string[]) => {
    for (const step of list) {
      const path = [...parent, step.title];
      const ran =
        step.status === 'Succeeded' || step.status === 'Failed' || step.status === 'Canceled';
      if (ran && step.startTime !== undefined && step.endTime !== undefined) {
        samples.push({
          tenant,
          kind,
          path,
          status: step.status as TerminalStatus,
          durationMs: Math.max(0, step.endTime - step.startTime),
          endedAt: step.endTime,
        });
      }
      if (step.steps) visit(step.steps, path);
    }
  };
  visit(steps, []);
  return samples;
}

/** Samples waiting beyond this are dropped (the store is failing): estimates are best effort. */
const MAX_PENDING = 50_000;

/**
 * Records the durations of finished runs off the hot path: samples of runs that end close together
 * share one `recordDurations` write, made `delayMs` after the first of them; while a write is in
 * flight, new samples wait for the next one. Once written, the estimate basis of their kinds is
 * invalidated in this process. A failed write is reported and dropped, never retried forever.
 */
export class DurationRecorder {
  readonly #store: Store;
  readonly #onError: (error: unknown) => void;
  readonly #delayMs: number;
  #pending: DurationSample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;

  constructor(store: Store, onError: (error: unknown) => void, delayMs = 20) {
    this.#store = store;
    this.#onError = onError;
    this.#delayMs = delayMs;
  }

  add(samples: readonly DurationSample[]): void {
    if (this.#pending.length + samples.length > MAX_PENDING) return;
    this.#pending.push(...samples);
    if (this.#timer || this.#writing) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#writing = this.#drain();
    }, this.#delayMs);
  }

  /** Writes everything added so far (a stop waits for it before the store closes). */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#writing ??= this.#drain();
    }
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        try {
          await this.#store.recordDurations(batch);
          estimateBasisCache(this.#store).invalidate(new Set(batch.map((sample) => sample.kind)));
        } catch (error) {
          this.#onError(error);
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }
}
