/**
 * The child side of the PostgreSQL bench: every worker child (longrun, graphile-worker, pg-boss)
 * records when its no-op bodies start and answers the parent over IPC. A body whose job carries `t`
 * (the submitter's clock when it sent the job) records `start - t`, the submit-to-start latency; all
 * processes share the machine's clock, read with sub-millisecond precision.
 */
export type ToChild = { type: 'go' } | { type: 'stats' } | { type: 'stop' };

export type FromChild =
  | { type: 'ready'; url?: string }
  | { type: 'stats'; latencies: number[]; aborts: number[] }
  | { type: 'error'; message: string };

/** Epoch milliseconds with sub-millisecond precision, comparable across the bench's processes. */
export const preciseNow = () => performance.timeOrigin + performance.now();

/** Latencies and cancel arrivals recorded since the last `stats` request. */
export class BodyRecorder {
  latencies: number[] = [];
  /** When a running body saw its cancel (ctx.signal aborted), epoch ms. */
  aborts: number[] = [];

  started(payload: unknown): void {
    const t = (payload as { t?: unknown } | null)?.t;
    if (typeof t === 'number') this.latencies.push(preciseNow() - t);
  }

  take(): FromChild {
    const stats = { type: 'stats' as const, latencies: this.latencies, aborts: this.aborts };
    this.latencies = [];
    this.aborts = [];
    return stats;
  }
}

export const tellParent = (message: FromChild) => process.send?.(message);

/**
 * Serves the parent: `go` runs `go` once, `stats` answers the recorder's numbers, `stop` runs `stop`
 * and exits. Errors are reported to the parent, which fails the section with them.
 */
export function serveParent(
  recorder: BodyRecorder,
  handlers: { go?: () => Promise<void>; stop: () => Promise<void> },
): void {
  const fail = (error: unknown) =>
    tellParent({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  process.on('message', (message: ToChild) => {
    if (message.type === 'go') handlers.go?.().catch(fail);
    else if (message.type === 'stats') tellParent(recorder.take());
    else if (message.type === 'stop') {
      handlers.stop().then(
        () => process.exit(0),
        (error) => {
          fail(error);
          process.exit(1);
        },
      );
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Settings every child reads from its environment. */
export const childEnv = {
  url: () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    return url;
  },
  schema: () => process.env.BENCH_PG_SCHEMA ?? 'longrun_bench',
  concurrency: () => Number(process.env.BENCH_CONCURRENCY ?? 64),
};
