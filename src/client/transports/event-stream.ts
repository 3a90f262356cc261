import { linkSignal, sleep } from '../abort.js';
import { discard, isTransientAnswer } from '../requester.js';
import { backoffDelay } from '../retry-after.js';
import type { WatchContext } from '../watch-context.js';
import { type ReadOutcome, readEvents } from './event-reader.js';
import { refreshFromMonitor } from './monitor-read.js';

/** Three missed heartbeats (the server comments every 15 s): the connection is dead, open another. */
const IDLE_TIMEOUT_MS = 45_000;
/** Reconnection delay until the server sets one with `retry:`. */
const DEFAULT_RECONNECT_MS = 1000;
/** Failed connections in a row before giving up on the stream and polling instead. */
const FAILURE_LIMIT = 5;

type Outcome = ReadOutcome | 'unsupported';

/**
 * Follows the operation's event stream (PROTOCOL.md section 7) until it is done, reconnecting with
 * `Last-Event-ID` so the server resumes after the last event seen. A stream the server does not offer
 * (an error, not `text/event-stream`), or that keeps failing, sets `state.eventsUnsupported`.
 */
export async function eventStream(context: WatchContext, url: string): Promise<void> {
  const { state } = context;
  let failures = 0;
  while (!context.latest()?.done) {
    const outcome = await connect(context, url, () => {
      failures = 0;
    });
    if (outcome === 'done') continue;
    if (outcome === 'unsupported' || (outcome === 'failed' && ++failures > FAILURE_LIMIT)) {
      state.eventsUnsupported = true;
      return;
    }
    const reconnectMs = state.reconnectMs ?? DEFAULT_RECONNECT_MS;
    const backoff = { initialMs: reconnectMs, maxMs: context.settings.poll.maxMs };
    await sleep(failures <= 1 ? reconnectMs : backoffDelay(failures - 1, backoff), context.signal);
  }
}

async function connect(context: WatchContext, url: string, onEvent: () => void): Promise<Outcome> {
  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    'cache-control': 'no-cache',
  };
  if (context.state.lastEventId !== undefined) headers['last-event-id'] = context.state.lastEventId;
  const connection = linkSignal([context.signal]);
  let idle: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => connection.abort(new Error('event stream idle')), IDLE_TIMEOUT_MS);
  };
  try {
    touch();
    let response: Response;
    try {
      response = await context.requester.send(url, {
        headers,
        signal: connection.signal,
        retry: false,
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      return 'failed';
    }
    if (response.status === 204) {
      // "Done, nothing more to stream": the final state is on the monitor.
      await discard(response);
      await refreshFromMonitor(context);
      return context.latest()?.done ? 'done' : 'unsupported';
    }
    const type = response.headers.get('content-type') ?? '';
    if (
      isTransientAnswer(response) ||
      !response.ok ||
      !/text\/event-stream/i.test(type) ||
      !response.body
    ) {
      await discard(response);
      return isTransientAnswer(response) ? 'failed' : 'unsupported';
    }
    return await readEvents(context, response.body, touch, onEvent);
  } finally {
    clearTimeout(idle);
    connection.abort();
  }
}
