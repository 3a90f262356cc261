import { type ListOptions, listOperations } from './list-operations.js';
import { type HandleCore, OperationHandle, type SignalOptions } from './operation-handle.js';
import { type FetchFunction, Requester, readBody } from './requester.js';
import type { OperationSnapshot } from './snapshot.js';
import { interpretStart } from './start-answer.js';
import { type StartRequest, startRequest } from './start-request.js';
import type { MonitorMode, OperationHandleJSON } from './watch-context.js';

export interface ClientOptions {
  /**
   * The mount root, e.g. `https://api.example.com/v1`: relative URLs given to the client go under it
   * (`reports` is `https://api.example.com/v1/reports`), and `list()` reads its `/operations`.
   */
  baseUrl?: string | URL;
  /** Sent with every request (e.g. a tenant header). */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <apiKey>` unless `headers` has an Authorization already. */
  apiKey?: string;
  /** Default: the global `fetch`, looked up at each call. */
  fetch?: FetchFunction;
  polling?: {
    /** First delay between polls when the server sends no Retry-After; grows while nothing changes. Default 1000. */
    intervalMs?: number;
    /** Cap on that delay and on any Retry-After. Default 30000. */
    maxIntervalMs?: number;
    /** `Prefer: wait=N` of a long-poll. Default 30. */
    longPollSeconds?: number;
  };
  retry?: {
    /** Transient failures in a row (network errors, 408, 429, 5xx) retried before giving up. Default 5. */
    limit?: number;
    /** First backoff delay when the server sends no Retry-After. Default 300. */
    backoffMs?: number;
    /** Cap on the backoff and on any Retry-After. Default 30000. */
    maxBackoffMs?: number;
  };
  /** Turn transports off (both are used when the server offers them). */
  transports?: { events?: boolean; longPoll?: boolean };
}

const MODES: readonly MonitorMode[] = ['status', 'location', 'resource', 'auto'];

export interface LongrunClient {
  /** Sends the request that starts an operation and resolves with its handle (after the first answer). */
  start<Result = unknown>(
    request: StartRequest,
    options?: SignalOptions,
  ): Promise<OperationHandle<Result>>;
  /** Attaches to an operation by its monitor URL, or by a handle's `toJSON()`. Sends nothing yet. */
  operation<Result = unknown>(target: string | URL | OperationHandleJSON): OperationHandle<Result>;
  /** The caller's operations on a longrun server (`GET {baseUrl}/operations`), page after page. */
  list(options?: ListOptions): AsyncIterableIterator<OperationSnapshot>;
}

export function createClient(options: ClientOptions = {}): LongrunClient {
  const baseUrl = options.baseUrl === undefined ? undefined : String(options.baseUrl);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {}))
    headers[name.toLowerCase()] = value;
  if (options.apiKey !== undefined) headers.authorization ??= `Bearer ${options.apiKey}`;
  const fetcher: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxMs = options.polling?.maxIntervalMs ?? 30_000;
  const core: HandleCore = {
    requester: new Requester(fetcher, headers, {
      limit: options.retry?.limit ?? 5,
      initialMs: options.retry?.backoffMs ?? 300,
      maxMs: options.retry?.maxBackoffMs ?? 30_000,
    }),
    settings: {
      poll: { initialMs: options.polling?.intervalMs ?? 1000, maxMs },
      longPollSeconds: options.polling?.longPollSeconds ?? 30,
      events: options.transports?.events ?? true,
      longPoll: options.transports?.longPoll ?? true,
    },
  };
  // Relative URLs go under the base, as under a mount root: `reports` with `http://h/v1` is `/v1/reports`.
  const base = baseUrl?.endsWith('/') === false ? `${baseUrl}/` : baseUrl;
  const resolve = (url: string | URL) => new URL(url, base).href;

  return {
    async start<Result>(request: StartRequest, { signal }: SignalOptions = {}) {
      const prepared = await startRequest(request, resolve);
      const response = await core.requester.send(prepared.url, {
        ...prepared.init,
        signal: signal ?? new AbortController().signal,
      });
      const body = await readBody(response, prepared.url);
      const started = interpretStart(prepared.init.method, prepared.url, response, body, baseUrl);
      const retryAfter = response.headers.get('retry-after');
      return new OperationHandle<Result>(core, started.descriptor, started.snapshot, retryAfter);
    },

    operation<Result>(target: string | URL | OperationHandleJSON) {
      if (typeof target === 'string' || target instanceof URL) {
        return new OperationHandle<Result>(core, { monitor: resolve(target), mode: 'auto' });
      }
      if (typeof target?.monitor !== 'string' || !MODES.includes(target.mode)) {
        throw new TypeError(
          `client.operation() takes a URL or a handle's toJSON() ({monitor, mode, ...}); got ${JSON.stringify(target)}.`,
        );
      }
      return new OperationHandle<Result>(core, { ...target, monitor: resolve(target.monitor) });
    },

    list(listOptions: ListOptions = {}) {
      if (baseUrl === undefined) {
        throw new TypeError(
          "client.list() needs the client's baseUrl: the mount root, e.g. https://api.example.com/v1.",
        );
      }
      return listOperations(core.requester, baseUrl, listOptions);
    },
  };
}
