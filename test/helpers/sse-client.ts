/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** `event:`, `message` when absent. */
  type: string;
  data: string;
  /** The last event id when it was dispatched (it carries over from earlier events). */
  id: string;
  /** Whether this event had an `id:` field of its own. */
  hasId: boolean;
  /** When it was parsed: epoch ms, sub-millisecond, comparable between processes on one machine. */
  at: number;
}

/**
 * A tiny `text/event-stream` client over fetch streaming, for tests: it parses as the WHATWG rules
 * say (lines end in CR, LF or CRLF; `:` starts a comment; a blank line dispatches), and keeps every
 * event, comment and `retry:` it saw. It does not reconnect: tests do, with `lastEventId`.
 */
export class SseClient {
  readonly status: number;
  readonly headers: Headers;
  readonly events: SseEvent[] = [];
  comments = 0;
  retryMs: number | undefined;
  lastEventId = '';
  /** Resolves when the server ends the stream (or the client closed it). */
  readonly ended: Promise<void>;
  readonly #abort: AbortController;
  readonly #waiters = new Set<() => void>();
  #finished = false;
  #error: unknown;

  private constructor(response: Response, abort: AbortController) {
    this.status = response.status;
    this.headers = response.headers;
    this.#abort = abort;
    this.ended = response.body ? this.#read(response.body) : Promise.resolve(this.#finish());
  }

  /** GETs `url` with `Accept: text/event-stream` (and `headers`), and reads the stream if there is one. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    return new SseClient(response, abort);
  }

  /** Drops the connection, as a client that goes away does. */
  close(): void {
    this.#abort.abort();
  }

  /** Waits until `test` holds for the events seen so far; fails after `timeoutMs`. */
  async until(
    what: string,
    test: (events: readonly SseEvent[]) => boolean,
    timeoutMs = 8000,
  ): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.events)) {
      if (this.#finished) {
        throw new Error(`The stream ended before ${what}: ${this.#describe()}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No ${what} within ${timeoutMs} ms: ${this.#describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
    return this.events;
  }

  /** Waits for an event of `type` (the first not yet returned by a former call is not tracked). */
  async event(type: string, timeoutMs?: number): Promise<SseEvent> {
    await this.until(
      `a "${type}" event`,
      (events) => events.some((e) => e.type === type),
      timeoutMs,
    );
    return this.events.find((event) => event.type === type)!;
  }

  #describe(): string {
    const seen = this.events.map((event) => `${event.type}#${event.id}`).join(', ');
    return `status ${this.status}, events [${seen}]${this.#error ? `, error ${this.#error}` : ''}`;
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let type = '';
    let data: string[] = [];
    let hasId = false;
    const line = (text: string) => {
      if (text === '') {
        if (data.length > 0) {
          this.events.push({
            type: type || 'message',
            data: data.join('\n'),
            id: this.lastEventId,
            hasId,
            at: performance.timeOrigin + performance.now(),
          });
        }
        [type, data, hasId] = ['', [], false];
        return;
      }
      if (text.startsWith(':')) {
        this.comments++;
        return;
      }
      const colon = text.indexOf(':');
      const field = colon === -1 ? text : text.slice(0, colon);
      const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') [this.lastEventId, hasId] = [value, true];
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    };
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r\n|\r(?!$)|\n/);
        buffer = lines.pop()!;
        for (const text of lines) line(text);
        this.#notify();
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#error = error;
    }
    this.#finish();
  }

  #finish(): void {
    this.#finished = true;
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) {
      this.#waiters.delete(waiter);
      waiter();
    }
  }
}
