import type { ServerResponse } from 'node:http';
import type { Exchange, Routes } from './dialect-server.js';

/** What one revision looks like: a whole representation, or (partial) only a hint in the event. */
interface Revision {
  body: Record<string, unknown>;
  partial: boolean;
}

/**
 * An operation whose every change the test makes, served at `/ops/1` as a longrun-style status body
 * with an ETag per revision (no `Prefer: wait`), its result at `/ops/1/result`, and optionally its
 * event stream at `/ops/1/events` played after PROTOCOL.md section 7: `snapshot` first (`id` = the
 * revision), then one event per revision (`progress` with the whole representation, or `status`
 * with partial data), `done` at the end, `Last-Event-ID` resume, `retry:`, 204 once done.
 */
export class ScriptedOperation {
  readonly #revisions: Revision[] = [];
  readonly #streams = new Set<ServerResponse>();
  readonly #events: boolean;
  #lagging = 0;
  /** `Last-Event-ID` of each event-stream request, `undefined` when absent. */
  readonly lastEventIds: (string | undefined)[] = [];

  constructor(options: { events: boolean }) {
    this.#events = options.events;
    this.#push('Running', 0, false);
  }

  get revision(): number {
    return this.#revisions.length;
  }

  /** One more stage done; `partial` streams it as a bare "something changed" event. */
  advance(partial = false): void {
    const completed = (this.#revisions.at(-1)!.body.progress as { completed: number }).completed;
    this.#push('Running', completed + 1, partial);
  }

  finish(): void {
    const completed = (this.#revisions.at(-1)!.body.progress as { completed: number }).completed;
    this.#push('Succeeded', completed, false);
  }

  /** Event streams open now. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** The next `count` GETs of the operation answer the revision before the current one. */
  lagNextGets(count: number): void {
    this.#lagging += count;
  }

  /** Destroys every open event stream, as a dropped network connection would. */
  cutStreams(): void {
    for (const stream of this.#streams) stream.socket?.destroy();
  }

  routes(): Routes {
    return {
      'GET /ops/1': ({ request, send }) => {
        const revision = this.#lagging > 0 ? this.revision - 1 : this.revision;
        this.#lagging = Math.max(0, this.#lagging - 1);
        const etag = `"r${revision}"`;
        if (request.headers['if-none-match'] === etag) return send(304, undefined, { etag });
        send(200, this.#body(revision, request.headers.host), { etag });
      },
      'GET /ops/1/result': ({ send }) => send(200, { answer: 42 }),
      ...(this.#events ? { 'GET /ops/1/events': (exchange) => this.#stream(exchange) } : {}),
    };
  }

  #push(status: string, completed: number, partial: boolean): void {
    const body = { id: 'op-1', status, done: status === 'Succeeded', progress: { completed } };
    this.#revisions.push({ body, partial });
    for (const stream of this.#streams) stream.emit('revision');
  }

  /** Revision `revision` as served to `host`: with absolute links, as longrun serves them. */
  #body(revision: number, host: string | undefined): Record<string, unknown> {
    const self = `http://${host}/ops/1`;
    const links: Record<string, string> = { self, result: `${self}/result` };
    if (this.#events) links.events = `${self}/events`;
    return { ...this.#revisions[revision - 1]!.body, links };
  }

  #stream({ request, response, send }: Exchange): void {
    const header = request.headers['last-event-id'];
    this.lastEventIds.push(typeof header === 'string' ? header : undefined);
    const resumeAfter = typeof header === 'string' ? Number(header) : undefined;
    const done = this.#revisions.at(-1)!.body.done === true;
    if (done && resumeAfter !== undefined && resumeAfter >= this.revision) {
      send(204);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write('retry: 20\n: hello\n\n');
    let sent = resumeAfter ?? this.revision - 1;
    if (resumeAfter === undefined) {
      const body = this.#body(this.revision, request.headers.host);
      response.write(`event: snapshot\nid: ${this.revision}\ndata: ${JSON.stringify(body)}\n\n`);
      sent = this.revision;
    }
    const flush = () => {
      while (sent < this.revision) {
        const { partial } = this.#revisions[sent]!;
        sent++;
        const body = this.#body(sent, request.headers.host);
        const type = body.done ? 'done' : partial ? 'status' : 'progress';
        const data = partial ? { status: body.status } : body;
        response.write(`event: ${type}\nid: ${sent}\ndata: ${JSON.stringify(data)}\n\n`);
        if (body.done) response.end();
      }
    };
    this.#streams.add(response);
    response.on('revision', flush);
    response.on('close', () => this.#streams.delete(response));
    flush();
  }
}
