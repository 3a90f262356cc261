import { linkSignal } from './abort.js';
import { requestCancel } from './cancel-request.js';
import { TimeoutError } from './errors.js';
import { finalResult } from './final-result.js';
import type { Requester } from './requester.js';
import type { OperationSnapshot } from './snapshot.js';
import { type OperationObserver, SnapshotHub } from './snapshot-hub.js';
import { iterateSnapshots } from './snapshot-iterator.js';
import { readMonitor } from './transports/monitor-read.js';
import {
  type ClientSettings,
  newTransportState,
  type OperationHandleJSON,
  type TransportName,
  type WatchContext,
} from './watch-context.js';
import { watchOperation } from './watch-loop.js';

export interface SignalOptions {
  signal?: AbortSignal;
}

export interface WaitOptions extends SignalOptions {
  /** Reject with TimeoutError when the operation (and its result) is not there by then. */
  timeoutMs?: number;
}

export type SnapshotListener = (snapshot: OperationSnapshot) => void;

/** What every handle of one client shares. */
export interface HandleCore {
  requester: Requester;
  settings: ClientSettings;
}

/**
 * One long-running operation, started or attached by a client. Every observer (`subscribe`, the
 * async iterator, `wait`) shares one watch loop: one event stream or one poll loop, whatever the count,
 * started by the first observer and stopped when the last one leaves.
 */
export class OperationHandle<Result = unknown> implements AsyncIterable<OperationSnapshot> {
  readonly #core: HandleCore;
  readonly #descriptor: OperationHandleJSON;
  readonly #state = newTransportState();
  readonly #hub: SnapshotHub;

  /** Made by a client's `start()` and `operation()`. */
  constructor(
    core: HandleCore,
    descriptor: OperationHandleJSON,
    first?: OperationSnapshot,
    retryAfter?: string | null,
  ) {
    this.#core = core;
    this.#descriptor = { ...descriptor };
    this.#state.retryAfter = retryAfter ?? null;
    this.#hub = new SnapshotHub(
      (signal, publish) => watchOperation(this.#context(signal, publish)),
      first,
    );
  }

  /** The URL the client watches (the status monitor, or the `Location` polled). */
  get url(): string {
    return this.#descriptor.monitor;
  }

  /** The latest snapshot seen, if any. */
  get snapshot(): OperationSnapshot | undefined {
    return this.#hub.latest;
  }

  /** The transport the watch uses now, or used last: `events`, `long-poll` or `poll`. */
  get transport(): TransportName | undefined {
    return this.#state.transport;
  }

  /**
   * Calls `observer` with the latest snapshot (if any), then with every new one, then `complete()`
   * after the final one. Returns the unsubscribe function. An aborted `signal` unsubscribes and calls
   * `error(signal.reason)`.
   */
  subscribe(
    observer: OperationObserver | SnapshotListener,
    options: SignalOptions = {},
  ): () => void {
    const { signal } = options;
    const target = typeof observer === 'function' ? { next: observer } : observer;
    if (signal?.aborted) {
      target.error?.(signal.reason);
      return () => {};
    }
    let active = true;
    let unsubscribe = () => {};
    const stop = () => {
      if (!active) return;
      active = false;
      signal?.removeEventListener('abort', onAbort);
      unsubscribe();
    };
    const end = (report: () => void) => {
      if (!active) return;
      stop();
      report();
    };
    const onAbort = () => end(() => target.error?.(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    unsubscribe = this.#hub.subscribe({
      next: (snapshot) => {
        if (!active) return;
        target.next?.(snapshot);
        if (snapshot.done) end(() => target.complete?.());
      },
      error: (error) => end(() => target.error?.(error)),
      complete: () => end(() => target.complete?.()),
    });
    if (!active) unsubscribe();
    return stop;
  }

  /** The snapshots as an async iterator, ending after the final one: `for await (const s of handle)`. */
  snapshots(options: SignalOptions = {}): AsyncIterableIterator<OperationSnapshot> {
    return iterateSnapshots((observer) => this.subscribe(observer, options));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<OperationSnapshot> {
    return this.snapshots();
  }

  /**
   * Waits until the operation is done and resolves with its result, fetched from where the server
   * keeps it. Rejects with OperationFailedError, OperationCanceledError, TimeoutError, HttpError,
   * NetworkError, ProtocolError, or the signal's abort reason.
   */
  async wait(options: WaitOptions = {}): Promise<Result> {
    const { timeoutMs } = options;
    const timeout =
      timeoutMs === undefined
        ? undefined
        : { ms: timeoutMs, reason: () => new TimeoutError(`Operation ${this.url}`, timeoutMs) };
    const linked = linkSignal([options.signal], timeout);
    try {
      const final = await new Promise<OperationSnapshot>((resolve, reject) => {
        const next = (snapshot: OperationSnapshot) => snapshot.done && resolve(snapshot);
        this.subscribe({ next, error: reject }, { signal: linked.signal });
      });
      return (await finalResult(
        this.#core.requester,
        this.#descriptor,
        final,
        linked.signal,
      )) as Result;
    } finally {
      linked.dispose();
    }
  }

  /** Reads the operation once (no waiting) and resolves with its current snapshot. */
  async refresh(options: SignalOptions = {}): Promise<OperationSnapshot> {
    const context = this.#context(options.signal ?? new AbortController().signal, (snapshot) =>
      this.#hub.publish(snapshot),
    );
    const answer = await readMonitor(context);
    if (answer.kind === 'snapshot') this.#hub.publish(answer.snapshot);
    return this.#hub.latest!;
  }

  /**
   * Asks the server to cancel (`links.cancel`, else `{status monitor}:cancel` as Azure and Google
   * name it). Resolves with the snapshot the server answered, when its body is one. Watchers then see
   * Canceling and Canceled; `wait()` rejects with OperationCanceledError.
   */
  async cancel(options: SignalOptions = {}): Promise<OperationSnapshot | undefined> {
    const signal = options.signal ?? new AbortController().signal;
    if (!this.snapshot) await this.refresh({ signal });
    const snapshot = await requestCancel(
      this.#core.requester,
      this.#descriptor,
      this.snapshot,
      signal,
    );
    if (snapshot) this.#hub.publish(snapshot);
    return snapshot;
  }

  /** What `client.operation(json)` needs to attach to this operation again, e.g. after a page reload. */
  toJSON(): OperationHandleJSON {
    return { ...this.#descriptor };
  }

  #context(signal: AbortSignal, publish: WatchContext['publish']): WatchContext {
    return {
      requester: this.#core.requester,
      settings: this.#core.settings,
      descriptor: this.#descriptor,
      state: this.#state,
      signal,
      latest: () => this.#hub.latest,
      publish,
    };
  }
}
