/** Waits `ms`, or rejects with the signal's reason as soon as it aborts; leaves no timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A signal that aborts with its parents, or after `timeoutMs` with `timeoutReason()`. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Detaches from the parents and clears the timer: call it when the work is over. */
  dispose(): void;
}

export function linkSignal(
  parents: readonly (AbortSignal | undefined)[],
  timeout?: { ms: number; reason: () => unknown },
): LinkedSignal {
  const controller = new AbortController();
  const live = parents.filter((parent): parent is AbortSignal => parent !== undefined);
  const listeners = live.map((parent) => {
    const onAbort = () => controller.abort(parent.reason);
    return { parent, onAbort };
  });
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => controller.abort(timeout.reason()), timeout.ms);
  const dispose = () => {
    clearTimeout(timer);
    for (const { parent, onAbort } of listeners) parent.removeEventListener('abort', onAbort);
  };
  for (const { parent, onAbort } of listeners) {
    if (parent.aborted) onAbort();
    else parent.addEventListener('abort', onAbort, { once: true });
  }
  controller.signal.addEventListener('abort', dispose, { once: true });
  return { signal: controller.signal, abort: (reason) => controller.abort(reason), dispose };
}
