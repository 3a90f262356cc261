import { isTransientAnswer } from './requester.js';

/** The request that starts an operation, when not given as a `Request`. */
export interface StartRequestInit {
  /** Absolute, or relative to the client's `baseUrl`. */
  url: string | URL;
  /** Default `POST`. */
  method?: string;
  /** Sent as JSON, unless a string, Blob, ArrayBuffer (view), FormData or URLSearchParams. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type StartRequest = Request | StartRequestInit;

export interface PreparedStart {
  url: string;
  init: {
    method: string;
    headers: Record<string, string>;
    body: BodyInit | null;
    retry: true;
    networkRetry: boolean;
    transient: (response: Response) => boolean;
  };
}

// Methods that may be sent twice with the effect of once (RFC 9110 section 9.2.2).
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const IDEMPOTENCY_HEADERS = ['idempotency-key', 'repeatability-request-id', 'operation-id'];

/** "Not now, come back then": the server refused the request before doing anything with it. */
function isRefusal(response: Response): boolean {
  return (
    (response.status === 429 || response.status === 503) && response.headers.has('retry-after')
  );
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof URLSearchParams
  );
}

/**
 * A start request in a form that can be sent again: a `Request`'s body is read once into memory.
 * Every transient failure is retried only when repeating it is safe (an idempotent method, or an
 * idempotency key the server deduplicates on); otherwise only an explicit refusal (429 or 503 with
 * Retry-After) is, since the server did nothing with the request.
 */
export async function startRequest(
  request: StartRequest,
  resolve: (url: string | URL) => string,
): Promise<PreparedStart> {
  const headers: Record<string, string> = {};
  let body: BodyInit | null = null;
  let method: string;
  let url: string;
  if (request instanceof Request) {
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    body = request.body === null ? null : await request.arrayBuffer();
    method = request.method;
    url = request.url;
  } else {
    for (const [name, value] of Object.entries(request.headers ?? {}))
      headers[name.toLowerCase()] = value;
    method = (request.method ?? 'POST').toUpperCase();
    url = resolve(request.url);
    if (isRawBody(request.body)) body = request.body;
    else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const safe = IDEMPOTENT.has(method) || IDEMPOTENCY_HEADERS.some((name) => name in headers);
  const transient = safe ? isTransientAnswer : isRefusal;
  return { url, init: { method, headers, body, retry: true, networkRetry: safe, transient } };
}
