import { sleep } from '../abort.js';
import { nextDelay } from '../retry-after.js';
import type { WatchContext } from '../watch-context.js';
import { refreshFromMonitor } from './monitor-read.js';

/**
 * Plain polling until the operation is done: each wait is the server's Retry-After (delta-seconds or
 * HTTP-date) when it gave one, else a backoff that grows while nothing changes and starts over on news;
 * both are capped by the client's `maxIntervalMs`.
 */
export async function poll(context: WatchContext): Promise<void> {
  let unchanged = 0;
  while (!context.latest()?.done) {
    await sleep(
      nextDelay(context.state.retryAfter, unchanged, context.settings.poll),
      context.signal,
    );
    const before = context.latest();
    await refreshFromMonitor(context);
    unchanged = context.latest() === before ? unchanged + 1 : 0;
  }
}
