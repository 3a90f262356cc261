import type { OperationError, OperationSnapshot } from './snapshot.js';

// A registered symbol, so the guard also recognises errors from a second copy of this package.
const BRAND = Symbol.for('longrun.client.error');

/** Base of every error the client throws on purpose. `code` is the class name, stable across versions. */
export class LongrunClientError extends Error {
  readonly code: string;
  readonly [BRAND] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = code;
    this.code = code;
  }
}

/** True for any LongrunClientError, even one made by another installed copy of longrun. */
export function isLongrunClientError(value: unknown): value is LongrunClientError {
  return typeof value === 'object' && value !== null && BRAND in value;
}

/** The server answered with an HTTP status the client cannot go on from (after any retries). */
export class HttpError extends LongrunClientError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** The answer's body: an RFC 9457 problem document when the server sends one, else text. */
  readonly body: unknown;

  constructor(method: string, url: string, status: number, body: unknown) {
    const detail = problemText(body);
    super('HttpError', `${method} ${url} answered ${status}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.method = method;
    this.url = url;
    this.body = body;
  }
}

/** The request never got an answer (connection refused or reset, DNS, CORS...), after any retries. */
export class NetworkError extends LongrunClientError {
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    super('NetworkError', `${method} ${url} got no answer: ${reasonOf(cause)}`, { cause });
    this.method = method;
    this.url = url;
  }
}

/** The operation ended Failed; `error` is its error object (`code` and `message` always set). */
export class OperationFailedError extends LongrunClientError {
  readonly error: OperationError;
  readonly snapshot: OperationSnapshot;

  constructor(what: string, snapshot: OperationSnapshot) {
    const error = snapshot.error ?? { code: 'Failed', message: 'no error details were given' };
    super('OperationFailedError', `Operation ${what} failed: ${error.code}: ${error.message}`);
    this.error = error;
    this.snapshot = snapshot;
  }
}

/** The operation ended Canceled (by this client or anybody else). */
export class OperationCanceledError extends LongrunClientError {
  readonly error: OperationError | undefined;
  readonly snapshot: OperationSnapshot;

  constructor(what: string, snapshot: OperationSnapshot) {
    const reason = snapshot.error?.message;
    super('OperationCanceledError', `Operation ${what} was canceled${reason ? `: ${reason}` : ''}`);
    this.error = snapshot.error;
    this.snapshot = snapshot;
  }
}

/** A `timeoutMs` given to the client ran out before the operation finished. */
export class TimeoutError extends LongrunClientError {
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number) {
    super('TimeoutError', `${what} did not finish within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The server said something the client cannot make sense of (no monitor URL, unreadable body...). */
export class ProtocolError extends LongrunClientError {
  readonly url: string | undefined;

  constructor(message: string, url?: string) {
    super('ProtocolError', message);
    this.url = url;
  }
}

/** fetch's error, with the underlying cause's code when there is one (`fetch failed (ECONNREFUSED)`). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}

/** The human part of an error body: problem `detail`/`title`, an `error.message`, or short text. */
function problemText(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 200) || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error as Record<string, unknown> | undefined;
  const text = record.detail ?? error?.message ?? record.title ?? record.message;
  return typeof text === 'string' ? text : undefined;
}
