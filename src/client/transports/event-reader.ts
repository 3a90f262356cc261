import { readStatusBody } from '../dialects.js';
import type { OperationSnapshot } from '../snapshot.js';
import type { WatchContext } from '../watch-context.js';
import { refreshFromMonitor } from './monitor-read.js';
import { type SseEvent, SseParser } from './sse-parser.js';

/** Re-reads of a monitor that showed nothing new after an event (25, 50, 100, 200 ms apart). */
const LAGGING_MONITOR_RETRIES = 4;
/** Events whose data may be a whole representation, or else only says "something changed". */
const CHANGE_EVENTS = new Set(['snapshot', 'status', 'progress', 'step', 'message', 'done']);

/** How a connection ended: the operation is done, the stream ended, or it broke. */
export type ReadOutcome = 'done' | 'ended' | 'failed';

/**
 * Reads events until the stream ends. Events whose data is a whole representation are published as
 * they are; the others only say "something changed", and one read of the monitor per chunk shows
 * what. A monitor that shows nothing new then may lag behind its stream (a replica, a commit on its
 * way) or be ahead of it (the stream catching up): while the stream is quiet, read it again a few
 * times, 25 to 200 ms apart, without ever holding up the events, and resume a broken stream from
 * before those events until the monitor has shown them.
 */
export async function readEvents(
  context: WatchContext,
  body: ReadableStream<Uint8Array>,
  touch: () => void,
  onEvent: () => void,
): Promise<ReadOutcome> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const read = () => {
    const next = reader.read();
    next.catch(() => {}); // awaited below; this only keeps an abandoned read from going unhandled
    return next;
  };
  let pending = read();
  let recheck: number | undefined;
  // Events count as seen (a reconnect resumes after them) once what they announced was shown.
  const seen = () => {
    if (recheck === undefined && parser.lastEventId !== '') {
      context.state.lastEventId = parser.lastEventId;
    }
  };
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array> | undefined;
    try {
      chunk = recheck === undefined ? await pending : await within(pending, 25 * 2 ** recheck);
    } catch {
      if (context.signal.aborted) throw context.signal.reason;
      return 'failed'; // cut off, or idle too long: reconnect and resume
    }
    if (chunk === undefined) {
      const caughtUp = await readMonitorChange(context);
      recheck = caughtUp || recheck === LAGGING_MONITOR_RETRIES - 1 ? undefined : recheck! + 1;
      seen();
      continue;
    }
    if (chunk.done) return 'ended';
    pending = read();
    touch();
    const events = parser.push(decoder.decode(chunk.value, { stream: true }));
    if (parser.retryMs !== undefined) context.state.reconnectMs = parser.retryMs;
    let changed = false;
    let done = false;
    for (const event of events) {
      onEvent();
      if (!CHANGE_EVENTS.has(event.type)) continue;
      const snapshot = representationOf(event);
      if (snapshot) context.publish(snapshot);
      else changed = true;
      if (event.type === 'done') done = true;
    }
    // One read covers every "something changed" of this chunk (none once the end is known).
    if ((changed || done) && !context.latest()?.done) {
      recheck = (await readMonitorChange(context)) ? undefined : 0;
    }
    seen();
    if (done || context.latest()?.done) return 'done';
  }
}

/** Reads the monitor; true when it showed something new. */
async function readMonitorChange(context: WatchContext): Promise<boolean> {
  const before = context.latest();
  await refreshFromMonitor(context);
  return context.latest() !== before;
}

/** `promise`'s value, or undefined when `ms` pass first (the timer is cleared either way). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  return Promise.race([promise, elapsed]).finally(() => clearTimeout(timer));
}

/** The event's data as a snapshot when it is a whole representation (always so for `snapshot`). */
function representationOf(event: SseEvent): OperationSnapshot | undefined {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  const reading = readStatusBody(data);
  if (reading === undefined) return undefined;
  const record = data as Record<string, unknown>;
  const whole =
    event.type === 'snapshot' ||
    (typeof record.done === 'boolean' && (typeof record.id === 'string' || 'links' in record));
  if (!whole) return undefined;
  const snapshot: OperationSnapshot = { ...reading, httpStatus: 200, body: data };
  if (event.id !== '') snapshot.eventId = event.id;
  return snapshot;
}
