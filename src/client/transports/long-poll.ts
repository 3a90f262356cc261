import { sleep } from '../abort.js';
import { nextDelay } from '../retry-after.js';
import type { WatchContext } from '../watch-context.js';
import { readMonitor } from './monitor-read.js';

/**
 * Long-polling: `If-None-Match` + `Prefer: wait=N`, asking again at once after each answer.
 * - `Preference-Applied: wait` shows the server holds requests (state.longPoll = 'yes');
 * - news without it proves nothing: a long-poll also answers at once when the caller is behind;
 * - nothing new and no `Preference-Applied` shows a server that ignores `Prefer: wait`: the loop
 *   hands over to plain polling (state.longPoll = 'no').
 */
export async function longPoll(context: WatchContext): Promise<void> {
  const { state } = context;
  while (!context.latest()?.done) {
    const answer = await readMonitor(context, context.settings.longPollSeconds);
    state.retryAfter = answer.headers.get('retry-after');
    const news = answer.kind === 'snapshot' && context.publish(answer.snapshot);
    if (/\bwait\b/i.test(answer.headers.get('preference-applied') ?? '')) state.longPoll = 'yes';
    else if (news) continue;
    else if (state.longPoll === 'yes') {
      // A server known to hold requests answered at once with nothing new: pause as a poll would.
      await sleep(nextDelay(state.retryAfter, 0, context.settings.poll), context.signal);
    } else {
      state.longPoll = 'no';
      return;
    }
  }
}
