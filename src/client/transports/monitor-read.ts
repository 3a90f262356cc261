import { linkSignal } from '../abort.js';
import { TimeoutError } from '../errors.js';
import { resolveMode, snapshotFromAnswer } from '../read-answer.js';
import { discard, isTransientAnswer, readBody } from '../requester.js';
import type { OperationSnapshot } from '../snapshot.js';
import type { WatchContext } from '../watch-context.js';

export type MonitorAnswer =
  | { kind: 'snapshot'; snapshot: OperationSnapshot; headers: Headers }
  | { kind: 'not-modified'; headers: Headers };

/** How long past its `Prefer: wait` a long-poll may stay unanswered before it is given up and sent again. */
const LONG_POLL_GRACE_MS = 15_000;

/**
 * A `Location` monitor's 500 is the outcome of a failed operation, unless the server asks to come back
 * (Retry-After): there every other transient answer is retried, as on any monitor.
 */
function transientOnLocation(response: Response): boolean {
  return (
    isTransientAnswer(response) && (response.status !== 500 || response.headers.has('retry-after'))
  );
}

/**
 * One GET of the monitor, with `If-None-Match` when it is a status monitor whose ETag we know, and
 * `Prefer: wait=N` when long-polling. Transient failures are retried inside; a long-poll that outlives
 * its wait by far counts as "nothing new" (a silently dropped connection must not hang the loop).
 */
export async function readMonitor(
  context: WatchContext,
  preferWaitSeconds?: number,
): Promise<MonitorAnswer> {
  const { descriptor, signal } = context;
  const url = descriptor.monitor;
  const headers: Record<string, string> = { accept: 'application/json' };
  const etag = context.latest()?.etag;
  if (descriptor.mode === 'status' && etag) headers['if-none-match'] = etag;
  const deadlineMs = (preferWaitSeconds ?? 0) * 1000 + LONG_POLL_GRACE_MS;
  const linked =
    preferWaitSeconds === undefined
      ? undefined
      : linkSignal([signal], {
          ms: deadlineMs,
          reason: () => new TimeoutError(`The long-poll GET ${url}`, deadlineMs),
        });
  if (preferWaitSeconds !== undefined) headers.prefer = `wait=${preferWaitSeconds}`;
  try {
    const response = await context.requester.send(url, {
      signal: linked?.signal ?? signal,
      headers,
      retry: true,
      ...(descriptor.mode === 'location' ? { transient: transientOnLocation } : {}),
    });
    if (response.status === 304) {
      await discard(response);
      return { kind: 'not-modified', headers: response.headers };
    }
    const body = await readBody(response, url);
    descriptor.mode = resolveMode(descriptor.mode, response.status, body);
    const snapshot = snapshotFromAnswer(descriptor.mode, url, response, body);
    return { kind: 'snapshot', snapshot, headers: response.headers };
  } catch (error) {
    if (linked?.signal.aborted && !signal.aborted)
      return { kind: 'not-modified', headers: new Headers() };
    throw error;
  } finally {
    linked?.dispose();
  }
}

/** Reads the monitor once and publishes what it says; the answer's Retry-After paces the next poll. */
export async function refreshFromMonitor(context: WatchContext): Promise<MonitorAnswer> {
  const answer = await readMonitor(context);
  context.state.retryAfter = answer.headers.get('retry-after');
  if (answer.kind === 'snapshot') context.publish(answer.snapshot);
  return answer;
}
