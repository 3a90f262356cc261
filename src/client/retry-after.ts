/**
 * Milliseconds a `Retry-After` header asks to wait (RFC 9110 section 10.2.3): delta-seconds
 * (`"120"`) or an HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, counted from `now`, never negative).
 * Undefined when the header is absent or is neither form, so the caller falls back on its own backoff.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a date with letters in it: Date.parse would also take "12" or "2024" as dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How a loop spaces its requests when the server does not say. */
export interface Backoff {
  /** First delay. */
  initialMs: number;
  /** No delay is ever longer, whatever the backoff or a Retry-After says. */
  maxMs: number;
}

/** Capped exponential backoff with a little jitter: attempt 0 waits about `initialMs`. */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  const exponential = backoff.initialMs * 1.5 ** Math.min(attempt, 40);
  const jitter = 0.9 + Math.random() * 0.2;
  return Math.min(backoff.maxMs, Math.round(exponential * jitter));
}

/**
 * The delay before the next request: the server's `Retry-After` when it gave a positive one (a
 * `Retry-After: 0` would make a stock poller spin), else the backoff; both capped at `maxMs`.
 */
export function nextDelay(
  retryAfter: string | null | undefined,
  attempt: number,
  backoff: Backoff,
): number {
  const asked = parseRetryAfter(retryAfter);
  if (asked !== undefined && asked > 0) return Math.min(asked, backoff.maxMs);
  return backoffDelay(attempt, backoff);
}
