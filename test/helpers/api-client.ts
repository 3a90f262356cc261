import type { OperationView, ProblemView } from './views.js';

/** One HTTP answer, its body already read: JSON parsed when the content type says JSON. */
export interface Reply<Body = unknown> {
  status: number;
  headers: Headers;
  body: Body;
  /** Milliseconds from sending the request to having the whole body. */
  elapsedMs: number;
}

export interface RequestOptions {
  /** Serialized as JSON unless it is already a string (sent as is) or a stream. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A small fetch client for one mount root, as an API user would write it: relative paths resolve under
 * the root, absolute URLs (from Location headers) are used as they are. Redirects are never followed,
 * so a 303 is visible to the test.
 */
export class ApiClient {
  readonly root: string;
  readonly #headers: Record<string, string>;

  constructor(root: string, headers: Record<string, string> = {}) {
    this.root = root;
    this.#headers = headers;
  }

  /** The same client, with more default headers. */
  with(headers: Record<string, string>): ApiClient {
    return new ApiClient(this.root, { ...this.#headers, ...headers });
  }

  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.root}${pathOrUrl}`;
  }

  /** The status monitor URL of an operation, under this client's root. */
  operationUrl(id: string): string {
    return `${this.root}/operations/${id}`;
  }

  async request<Body = unknown>(
    method: string,
    pathOrUrl: string,
    options: RequestOptions = {},
  ): Promise<Reply<Body>> {
    const headers: Record<string, string> = { ...this.#headers, ...options.headers };
    const init: RequestInit & { duplex?: 'half' } = { method, headers, redirect: 'manual' };
    if (options.body instanceof ReadableStream) {
      init.body = options.body;
      init.duplex = 'half';
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const started = performance.now();
    const response = await fetch(this.url(pathOrUrl), init);
    const text = await response.text();
    const isJson = /json/i.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (isJson && text !== '' ? JSON.parse(text) : text) as Body,
      elapsedMs: performance.now() - started,
    };
  }

  get<Body = OperationView>(pathOrUrl: string, headers: Record<string, string> = {}) {
    return this.request<Body>('GET', pathOrUrl, { headers });
  }

  post<Body = OperationView>(
    pathOrUrl: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    return this.request<Body>('POST', pathOrUrl, { body, headers });
  }

  delete<Body = unknown>(pathOrUrl: string, headers: Record<string, string> = {}) {
    return this.request<Body>('DELETE', pathOrUrl, { headers });
  }

  /** Reads an operation by id. */
  operation(id: string, headers: Record<string, string> = {}) {
    return this.get<OperationView>(this.operationUrl(id), headers);
  }

  cancel(id: string) {
    return this.post<OperationView>(`${this.operationUrl(id)}:cancel`);
  }

  result<Body = unknown>(id: string, headers: Record<string, string> = {}) {
    return this.get<Body>(`${this.operationUrl(id)}/result`, headers);
  }

  /** Polls the operation (every 10 ms) until `accept` holds for it; fails after `timeoutMs`. */
  async until(
    id: string,
    accept: (operation: OperationView) => boolean,
    what = 'the expected state',
    timeoutMs = 8000,
  ): Promise<OperationView> {
    const deadline = Date.now() + timeoutMs;
    let last: Reply<OperationView | ProblemView> | undefined;
    while (Date.now() < deadline) {
      last = await this.get<OperationView | ProblemView>(this.operationUrl(id));
      if (last.status === 200 && accept(last.body as OperationView)) {
        return last.body as OperationView;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(
      `Operation ${id} did not reach ${what} within ${timeoutMs} ms; last answer: ${last?.status} ${JSON.stringify(last?.body)}`,
    );
  }

  /** Polls until the operation is done (terminal). */
  done(id: string, timeoutMs?: number): Promise<OperationView> {
    return this.until(id, (operation) => operation.done, 'done', timeoutMs);
  }

  /** Every operation the list shows, following `nextLink` page by page. */
  async listAll(query = ''): Promise<OperationView[]> {
    const all: OperationView[] = [];
    let next: string | undefined = `/operations${query}`;
    while (next) {
      const page: Reply<{ value: OperationView[]; nextLink?: string }> = await this.get(next);
      if (page.status !== 200) throw new Error(`list answered ${page.status}`);
      all.push(...page.body.value);
      next = page.body.nextLink;
    }
    return all;
  }
}
