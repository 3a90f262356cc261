import type { Lookup, OperationRecord, Store } from '../store/store.js';

/**
 * Waits until `done(operation)` holds, the operation disappears, `timeoutMs` passes or the caller goes
 * away, and returns the latest lookup. It listens before it reads, so no change slips between the two;
 * each change signal costs one read. Frees its listener and timer on every path.
 */
export function waitForOperation(
  store: Store,
  tenant: string,
  id: string,
  done: (operation: OperationRecord) => boolean,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<Lookup<OperationRecord>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let reading = false;
    let readAgain = false;
    const finish = (lookup: Lookup<OperationRecord>) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(lookup);
    };
    const check = async () => {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          const lookup = await store.get(tenant, id);
          if (lookup.outcome !== 'found' || done(lookup.operation)) return finish(lookup);
          latest = lookup;
        } while (readAgain && !settled);
      } catch (error) {
        settled = true;
        unsubscribe();
        clearTimeout(timer);
        reject(error);
      } finally {
        reading = false;
      }
    };
    let latest: Lookup<OperationRecord> = { outcome: 'missing' };
    const unsubscribe = store.onChange((signal) => {
      // An empty id means "anything may have changed" (a listener that just started, say).
      if (signal.id === id || signal.id === '') void check();
    });
    const onTimeout = () => (reading ? setTimeout(onTimeout, 5) : finish(latest));
    const timer = setTimeout(onTimeout, options.timeoutMs);
    const onAbort = () => finish(latest);
    options.signal.addEventListener('abort', onAbort, { once: true });
    void check();
  });
}
