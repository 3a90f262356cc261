import { sleep } from './abort.js';
import { NetworkError, ProtocolError } from './errors.js';
import { type Backoff, backoffDelay, nextDelay } from './retry-after.js';

/** The subset of `fetch` the client calls: pass your own to add tracing, cookies or a test double. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryPolicy extends Backoff {
  /** Transient failures in a row before giving up. */
  limit: number;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | null;
  signal: AbortSignal;
  /** Retry transient answers, and network errors unless `networkRetry` is false. */
  retry: boolean;
  /** Default `retry`. False where the request may have been processed before the connection broke. */
  networkRetry?: boolean;
  /** Whether an answer is a passing fault worth retrying; by default `isTransientAnswer`. */
  transient?: (response: Response) => boolean;
}

// Statuses that say "not now" rather than "no": the same request may well work a little later.
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

/**
 * A passing fault: 408, 429 or 5xx other than 501. An answer with `AsyncResult` is the outcome of a
 * finished operation (PROTOCOL.md section 4), never a passing fault, whatever its status.
 */
export function isTransientAnswer(response: Response): boolean {
  return TRANSIENT.has(response.status) && !response.headers.has('asyncresult');
}

/** Sends requests with the client's headers and retries what may be retried. Knows no dialect. */
export class Requester {
  readonly #fetch: FetchFunction;
  readonly #headers: Record<string, string>;
  readonly #retry: RetryPolicy;

  constructor(fetcher: FetchFunction, headers: Record<string, string>, retry: RetryPolicy) {
    this.#fetch = fetcher;
    this.#headers = headers;
    this.#retry = retry;
  }

  async send(url: string, options: SendOptions): Promise<Response> {
    const { signal, method = 'GET' } = options;
    const transient = options.transient ?? isTransientAnswer;
    const init: RequestInit = {
      method,
      headers: { ...this.#headers, ...options.headers },
      body: options.body ?? null,
      signal,
    };
    for (let attempt = 0; ; attempt++) {
      const retry = options.retry && attempt < this.#retry.limit;
      let response: Response;
      try {
        response = await this.#fetch(url, init);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (!retry || options.networkRetry === false) throw new NetworkError(method, url, error);
        await sleep(backoffDelay(attempt, this.#retry), signal);
        continue;
      }
      if (!retry || !transient(response)) return response;
      await discard(response);
      await sleep(nextDelay(response.headers.get('retry-after'), attempt, this.#retry), signal);
    }
  }
}

/** Lets go of a body nobody will read, so its connection is freed at once. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already closed or errored: nothing left to free.
  }
}

/**
 * The body of an answer: parsed JSON when the content type says JSON (or it looks like JSON and no
 * type was given), text otherwise, undefined when empty.
 */
export async function readBody(response: Response, url: string): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type');
  const json = type === null ? /^\s*[[{]/.test(text) : /[/+]json\b/i.test(type);
  if (!json) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError(
      `${url} answered ${response.status} with a body that is not valid JSON although it says it is: ${text.slice(0, 80)}`,
      url,
    );
  }
}
