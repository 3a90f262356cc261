/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** `event:` field, `message` when absent. */
  type: string;
  data: string;
  /** The last event id at dispatch time (it carries over to events without an `id:` field). */
  id: string;
}

/**
 * An incremental `text/event-stream` parser (WHATWG HTML, "Server-sent events", parsing rules):
 * feed it decoded text in chunks of any size; it returns the events completed by each chunk.
 * Lines end in CRLF, LF or CR; a CR that ends a chunk ends its line at once, and an LF starting
 * the next chunk is then taken as the second half of that CRLF.
 */
export class SseParser {
  #buffer = '';
  #afterCr = false;
  #started = false;
  #type = '';
  #data: string[] = [];
  #lastEventId = '';
  #retryMs: number | undefined;

  /** The reconnection time the stream asked for with `retry:`, if any. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  push(text: string): SseEvent[] {
    // The LF of a CRLF whose CR ended the previous chunk: that line break is already counted.
    const rest = this.#afterCr && text.startsWith('\n') ? text.slice(1) : text;
    this.#afterCr = false;
    this.#buffer += rest;
    if (!this.#started && this.#buffer.length > 0) {
      this.#started = true;
      if (this.#buffer.charCodeAt(0) === 0xfeff) this.#buffer = this.#buffer.slice(1);
    }
    const events: SseEvent[] = [];
    const lineBreak = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = lineBreak.exec(this.#buffer); match; match = lineBreak.exec(this.#buffer)) {
      this.#line(this.#buffer.slice(start, match.index), events);
      start = match.index + match[0].length;
      this.#afterCr = match[0] === '\r' && start === this.#buffer.length;
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(events);
      return;
    }
    if (line.startsWith(':')) return; // a comment (heartbeat)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#type = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#retryMs = Number(value);
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#data.length > 0) {
      events.push({
        type: this.#type || 'message',
        data: this.#data.join('\n'),
        id: this.#lastEventId,
      });
    }
    this.#type = '';
    this.#data = [];
  }
}
