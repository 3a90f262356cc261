import { ProtocolError } from './errors.js';
import { isSameState } from './same-state.js';
import type { OperationSnapshot } from './snapshot.js';

/** Receives the snapshots of one operation; `complete` follows the final one. */
export interface OperationObserver {
  next?(snapshot: OperationSnapshot): void;
  /** The watch failed (HttpError, NetworkError, ProtocolError...) or its signal aborted. */
  error?(error: unknown): void;
  complete?(): void;
}

/** Runs the watch loop until the operation is done; publishes through `publish`. */
export type WatchRun = (
  signal: AbortSignal,
  publish: (snapshot: OperationSnapshot) => boolean,
) => Promise<void>;

/** Observer exceptions are the observer's bug: report them without stopping the others. */
function safely(call: () => void): void {
  try {
    call();
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

/**
 * The observers of one operation and the one watch loop they share: the loop starts with the first
 * observer and is aborted when the last one leaves. Each distinct snapshot reaches each observer once,
 * in order; an observer that joins late first gets the latest one.
 */
export class SnapshotHub {
  readonly #run: WatchRun;
  readonly #observers = new Set<OperationObserver>();
  #latest: OperationSnapshot | undefined;
  #loop: AbortController | undefined;

  constructor(run: WatchRun, initial: OperationSnapshot | undefined) {
    this.#run = run;
    this.#latest = initial;
  }

  get latest(): OperationSnapshot | undefined {
    return this.#latest;
  }

  /** Whether a watch loop is running now (for the shared-connection guarantee). */
  get watching(): boolean {
    return this.#loop !== undefined;
  }

  publish(snapshot: OperationSnapshot): boolean {
    if (isSameState(this.#latest, snapshot)) return false;
    this.#latest = snapshot;
    for (const observer of [...this.#observers]) safely(() => observer.next?.(snapshot));
    return true;
  }

  subscribe(observer: OperationObserver): () => void {
    this.#observers.add(observer);
    const latest = this.#latest;
    if (latest) safely(() => observer.next?.(latest));
    if (latest?.done) {
      if (this.#observers.delete(observer)) safely(() => observer.complete?.());
    } else if (this.#observers.has(observer)) {
      this.#startLoop();
    }
    return () => this.#leave(observer);
  }

  #startLoop(): void {
    if (this.#loop) return;
    const loop = new AbortController();
    this.#loop = loop;
    const publish = (snapshot: OperationSnapshot) => !loop.signal.aborted && this.publish(snapshot);
    this.#run(loop.signal, publish).then(
      () => this.#settle(loop, undefined),
      (error: unknown) => this.#settle(loop, error ?? new Error('watch failed')),
    );
  }

  #settle(loop: AbortController, error: unknown): void {
    if (this.#loop !== loop) return; // abandoned when its last observer left
    this.#loop = undefined;
    const observers = [...this.#observers];
    this.#observers.clear();
    const failure =
      error ??
      (this.#latest?.done
        ? undefined
        : new ProtocolError('The watch loop stopped before the operation was done.'));
    for (const observer of observers) {
      safely(() => (failure === undefined ? observer.complete?.() : observer.error?.(failure)));
    }
  }

  #leave(observer: OperationObserver): void {
    if (!this.#observers.delete(observer) || this.#observers.size > 0 || !this.#loop) return;
    const loop = this.#loop;
    this.#loop = undefined;
    loop.abort();
  }
}
