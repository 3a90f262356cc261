import type { OperationSnapshot } from './snapshot.js';

/**
 * Fields a server computes when it answers rather than when the operation changes: two answers about
 * one revision may differ in them (a GET carries an estimate that an event-stream snapshot lacks).
 */
const VOLATILE = new Set(['estimatedRemainingSeconds', 'estimatedCompletionDateTime']);

/** JSON with object keys sorted and volatile fields left out, so one state compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .filter((key) => !VOLATILE.has(key))
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * True when `next` shows nothing `previous` did not: the same ETag, the same SSE event id, or (when
 * the two came by different roads, or without either) the same status and body, estimates aside.
 * This is what keeps a
 * re-read after a reconnect, or a poll that found nothing new, from reaching the observers twice.
 */
export function isSameState(
  previous: OperationSnapshot | undefined,
  next: OperationSnapshot,
): boolean {
  if (previous === undefined) return false;
  if (previous.etag !== undefined && next.etag !== undefined) return previous.etag === next.etag;
  if (previous.eventId !== undefined && next.eventId !== undefined) {
    return previous.eventId === next.eventId;
  }
  return (
    previous.status === next.status &&
    previous.httpStatus === next.httpStatus &&
    canonical(previous.body) === canonical(next.body)
  );
}
