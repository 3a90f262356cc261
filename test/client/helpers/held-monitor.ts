import type { Exchange, Routes } from './dialect-server.js';

/**
 * A status monitor that honours `Prefer: wait`: a request whose If-None-Match names the current
 * revision is held until the test calls `advance()` (answered 200 with `Preference-Applied`).
 * It counts the requests it holds at once, to show how many connections the client keeps.
 */
export class HeldMonitor {
  readonly #held = new Set<Exchange>();
  #revision = 1;
  #body: Record<string, unknown> = { status: 'Running', percentComplete: 0 };
  readonly path: string;
  maxHeld = 0;

  constructor(path: string) {
    this.path = path;
  }

  get held(): number {
    return this.#held.size;
  }

  /** The next revision: `body` becomes the status, and every held request gets it. */
  advance(body: Record<string, unknown>): void {
    this.#revision++;
    this.#body = body;
    for (const exchange of this.#held) this.#answer(exchange, true);
    this.#held.clear();
  }

  routes(): Routes {
    return {
      [`GET ${this.path}`]: (exchange) => {
        const { request, response } = exchange;
        const waits = /wait=/.test(String(request.headers.prefer ?? ''));
        if (waits && request.headers['if-none-match'] === `"${this.#revision}"`) {
          this.#held.add(exchange);
          this.maxHeld = Math.max(this.maxHeld, this.#held.size);
          response.on('close', () => this.#held.delete(exchange));
          return;
        }
        this.#answer(exchange, waits);
      },
    };
  }

  #answer({ send }: Exchange, waits: boolean): void {
    const headers: Record<string, string> = { etag: `"${this.#revision}"` };
    if (waits) headers['preference-applied'] = 'wait=30';
    send(200, this.#body, headers);
  }
}
