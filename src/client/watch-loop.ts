import { eventStream } from './transports/event-stream.js';
import { longPoll } from './transports/long-poll.js';
import { refreshFromMonitor } from './transports/monitor-read.js';
import { poll } from './transports/poll.js';
import type { WatchContext } from './watch-context.js';

/**
 * Watches one operation until it is done, choosing the transport from what the server offers: its
 * event stream (`links.events`), else long-polling on a status monitor while the server honours
 * `Prefer: wait`, else plain polling. A transport that turns out unsupported hands over to the next.
 */
export async function watchOperation(context: WatchContext): Promise<void> {
  const { state, settings } = context;
  try {
    if (!context.latest() || state.stale) await refreshFromMonitor(context);
    for (let latest = context.latest(); latest && !latest.done; latest = context.latest()) {
      const events = latest.links?.events;
      if (events !== undefined && settings.events && !state.eventsUnsupported) {
        state.transport = 'events';
        await eventStream(context, events);
      } else if (
        settings.longPoll &&
        context.descriptor.mode === 'status' &&
        state.longPoll !== 'no'
      ) {
        state.transport = 'long-poll';
        await longPoll(context);
      } else {
        state.transport = 'poll';
        await poll(context);
      }
    }
  } finally {
    state.stale = true;
  }
}
