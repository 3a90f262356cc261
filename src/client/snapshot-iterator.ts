import type { OperationSnapshot } from './snapshot.js';
import type { OperationObserver } from './snapshot-hub.js';

type Subscribe = (observer: OperationObserver) => () => void;

/**
 * The snapshots of a subscription as an async iterator: it subscribes on the first `next()`, queues
 * what arrives while the consumer is busy (nothing is dropped), ends after the final snapshot, throws
 * the watch's error (or the abort reason), and unsubscribes on `return()` (a `break` out of for-await).
 */
export function iterateSnapshots(subscribe: Subscribe): AsyncIterableIterator<OperationSnapshot> {
  const queue: OperationSnapshot[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;
  const observer: OperationObserver = {
    next: (snapshot) => {
      queue.push(snapshot);
      wake?.();
    },
    error: (error) => {
      failure = { error };
      wake?.();
    },
    complete: () => {
      ended = true;
      wake?.();
    },
  };
  const finish = (): IteratorResult<OperationSnapshot> => {
    ended = true;
    unsubscribe?.();
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<OperationSnapshot> = {
    async next() {
      unsubscribe ??= subscribe(observer);
      for (;;) {
        const snapshot = queue.shift();
        if (snapshot !== undefined) return { done: false, value: snapshot };
        if (failure !== undefined) {
          const { error } = failure;
          failure = undefined;
          finish();
          throw error;
        }
        if (ended) return finish();
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      queue.length = 0;
      return finish();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
