import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { forkBenchChild, nextMessage } from './bench-child-process.js';

/** What a benchmark server child reports about the operations it saw since the last `reset`. */
export interface ServerStats {
  created: number;
  finished: number;
  /** Epoch ms of the first operation created / the last one finished since the reset. */
  firstCreatedAt: number | undefined;
  lastFinishedAt: number | undefined;
  /** Submit-to-start latency (startTime - createdDateTime) of the operations finished since the reset, ms. */
  startLatencyMs: number[];
}

export type ParentMessage =
  | { type: 'reset'; seq: number }
  | { type: 'stats'; seq: number; latencies: boolean }
  | { type: 'drain'; seq: number; timeoutMs: number }
  | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; url?: string }
  | { type: 'reply'; seq: number; stats: ServerStats }
  | { type: 'result'; result: Record<string, number> }
  | { type: 'error'; message: string };

/** A child process running one of the bench/*.ts entry points under tsx, talking over IPC. */
export class BenchChild {
  readonly #child: ChildProcess;
  #seq = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /**
   * Forks `entry` (relative to this file, or a file URL) under tsx; listen with `next()` right away.
   * `execArgv` adds node flags (compare-builds.ts adds another checkout's compiled-src hook).
   */
  static fork(
    entry: string | URL,
    env: Record<string, string> = {},
    execArgv: string[] = [],
  ): BenchChild {
    return new BenchChild(forkBenchChild(new URL(entry, import.meta.url), { env, execArgv }));
  }

  /** The child's process id (to read its CPU time). */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** The next message of this type; rejects if the child reports an error or exits first. */
  next<T extends ChildMessage['type']>(
    type: T,
    match: (message: ChildMessage & { type: T }) => boolean = () => true,
  ): Promise<ChildMessage & { type: T }> {
    return nextMessage<ChildMessage, T>(this.#child, type, match);
  }

  /** Sends a request and waits for the reply carrying the same sequence number. */
  async ask(
    message:
      | { type: 'reset' }
      | { type: 'stats'; latencies: boolean }
      | { type: 'drain'; timeoutMs: number },
  ): Promise<ServerStats> {
    const seq = ++this.#seq;
    const reply = this.next('reply', (m) => m.seq === seq);
    this.#child.send({ ...message, seq } satisfies ParentMessage);
    return (await reply).stats;
  }

  /** Asks the child to stop and waits for it to exit (it writes its CPU profile on the way out). */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = once(this.#child, 'exit');
    if (this.#child.connected) this.#child.send({ type: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Sends a message to the parent (no-op when not forked, e.g. run by hand). */
export function tellParent(message: ChildMessage): void {
  process.send?.(message);
}

/** Reports a failure to the parent, which fails the measurement with its stack. */
export function tellParentError(error: unknown): void {
  tellParent({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}

/** Closes the IPC channel once pending messages are out, so a one-shot child can exit on its own. */
export function hangUp(): void {
  if (process.connected) process.disconnect();
}
