/** One request a test server got. */
export interface LoggedRequest {
  method: string;
  /** Path and query, e.g. `/v1/operations/abc`. */
  path: string;
  headers: Headers;
  at: number;
}

/** The requests a server got, and how many of them were being answered at once (at most). */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  #open = new Map<string, number>();
  #maxOpen = new Map<string, number>();

  record(method: string, url: string, headers: Headers): LoggedRequest {
    const { pathname, search } = new URL(url, 'http://localhost');
    const entry = { method, path: `${pathname}${search}`, headers, at: Date.now() };
    this.entries.push(entry);
    return entry;
  }

  /** Runs a Fetch handler for `request`, logging it and counting it as open until it answers. */
  async around(
    request: Request,
    handler: (request: Request) => Promise<Response>,
  ): Promise<Response> {
    const entry = this.record(request.method, request.url, request.headers);
    const key = `${entry.method} ${new URL(request.url).pathname}`;
    const open = (this.#open.get(key) ?? 0) + 1;
    this.#open.set(key, open);
    this.#maxOpen.set(key, Math.max(open, this.#maxOpen.get(key) ?? 0));
    try {
      return await handler(request);
    } finally {
      this.#open.set(key, (this.#open.get(key) ?? 1) - 1);
    }
  }

  /** Requests whose method and path (without query) match. */
  matching(method: string, path: string): LoggedRequest[] {
    return this.entries.filter(
      (entry) => entry.method === method && entry.path.split('?')[0] === path,
    );
  }

  /** The most requests to `method path` that were answered at the same time. */
  maxOpen(method: string, path: string): number {
    return this.#maxOpen.get(`${method} ${path}`) ?? 0;
  }
}
