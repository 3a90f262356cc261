import { frameOperationEvents } from '../../protocol/operation-event-frames.js';
import { operationUrls, renderOperation } from '../../protocol/operation-resource.js';
import { isTerminal } from '../../protocol/operation-state.js';
import { retryAfterSeconds } from '../../protocol/retry-after.js';
import {
  parseEventId,
  type StreamPosition,
  sseMessage,
  sseRetry,
} from '../../protocol/server-sent-events.js';
import type { OperationEvent, OperationRecord, Store } from '../../store/store.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { empty } from '../respond.js';
import { EventStream } from '../sse/event-stream.js';
import { eventStreamResponse, hubOf, streamErrorReporter } from '../sse/stream-response.js';
import { findOperation } from './lookup.js';

/** Events read per round trip; an operation writes at most four per revision. */
const READ_LIMIT = 200;

/** `Accept: text/event-stream` on the operation URL asks for its stream (PROTOCOL.md section 7). */
export const acceptsEventStream = (request: Request) =>
  /text\/event-stream/i.test(request.headers.get('accept') ?? '');

/**
 * `GET R/operations/{id}/events`: the operation's Server-Sent Events. First `snapshot` (the whole
 * representation, `id: <revision>`), then its `step`, `progress`, `message` and `status` events from
 * the log as they are written, then `done` (the final representation) and the end. `Last-Event-ID`
 * resumes after that event: replayed from the log, or a fresh snapshot when the log no longer holds
 * that far back. A reconnect after `done` gets 204, which makes EventSource stop. Another tenant's
 * operation is 404, as for GET.
 */
export async function operationEvents(
  context: HandlerContext,
  scope: RequestScope,
  id: string,
): Promise<Response> {
  const operation = await findOperation(context, scope, id);
  let resume = parseEventId(scope.request.headers.get('last-event-id'));
  if (isTerminal(operation.status) && resume && resume.revision >= operation.revision) {
    if (resume.part === undefined || resume.revision > operation.revision) {
      return empty(204, { 'cache-control': 'no-store' });
    }
  }
  // An id beyond the operation's revision was never ours to give: start afresh.
  if (resume && resume.revision > operation.revision) resume = undefined;
  const follower = new OperationFollower(context.store, scope, operation, resume);
  const stream = new EventStream({
    hub: hubOf(context),
    operationId: id,
    tenant: scope.tenant,
    initial: follower.opening(operation, resume === undefined),
    pump: (open) => follower.pump(open),
    onError: streamErrorReporter(context, scope),
  });
  return eventStreamResponse(stream.body);
}

/**
 * The state of one operation stream: where it stands, and how to read what comes next. It keeps only
 * what it needs (no request, no representation): thousands of these stay open at once.
 */
class OperationFollower {
  readonly #store: Store;
  readonly #tenant: string;
  readonly #root: string;
  readonly #id: string;
  #position: StreamPosition;
  #ended = false;

  constructor(
    store: Store,
    scope: RequestScope,
    operation: OperationRecord,
    resume: StreamPosition | undefined,
  ) {
    this.#store = store;
    this.#tenant = scope.tenant;
    this.#root = scope.root;
    this.#id = operation.id;
    this.#position = resume ?? { revision: operation.revision };
  }

  /** `retry:`, then the snapshot unless the stream resumes. */
  opening(operation: OperationRecord, withSnapshot: boolean): string {
    const retry = sseRetry(retryAfterSeconds(operation, Date.now()) * 1000);
    return withSnapshot ? retry + this.#snapshot(operation) : retry;
  }

  async pump(stream: EventStream): Promise<boolean> {
    const store = this.#store;
    for (;;) {
      if (this.#ended) return false;
      const { revision, part } = this.#position;
      const after = part === undefined ? revision : revision - 1;
      const read = await store.readEvents(this.#tenant, this.#id, after, READ_LIMIT);
      if (read.outcome === 'missing') return false;
      if (read.outcome === 'trimmed') {
        const lookup = await store.get(this.#tenant, this.#id);
        if (lookup.outcome !== 'found') return false;
        this.#position = { revision: lookup.operation.revision };
        stream.write(this.#snapshot(lookup.operation));
        continue;
      }
      const { events, more } = wholeRevisions(read.events);
      const framed = frameOperationEvents(events, this.#position);
      stream.write(framed.text);
      this.#position = framed.position;
      if (framed.ended) {
        stream.write(await this.#done());
        return false;
      }
      if (!more) return true;
    }
  }

  /** The whole representation; it ends the stream when the operation is done. */
  #snapshot(operation: OperationRecord): string {
    const body = renderOperation(operation, operationUrls(this.#root, operation.id));
    const id = String(operation.revision);
    let text = sseMessage({ event: 'snapshot', id, data: JSON.stringify(body) });
    if (body.done) {
      text += sseMessage({ event: 'done', id, data: JSON.stringify(body) });
      this.#ended = true;
    }
    return text;
  }

  /** `done` with the final representation (read once more: the log carries only what changed). */
  async #done(): Promise<string> {
    const lookup = await this.#store.get(this.#tenant, this.#id);
    const revision = this.#position.revision;
    // Deleted meanwhile: nothing to show, and nothing a client could mistake for a representation.
    const data =
      lookup.outcome === 'found'
        ? renderOperation(lookup.operation, operationUrls(this.#root, this.#id))
        : {};
    return sseMessage({ event: 'done', id: String(revision), data: JSON.stringify(data) });
  }
}

/**
 * A read that hit its limit may end part-way through a revision: that revision is left for the next
 * read, so a revision's events always go out together (and so carry the right ids).
 */
function wholeRevisions(events: OperationEvent[]): { events: OperationEvent[]; more: boolean } {
  if (events.length < READ_LIMIT) return { events, more: false };
  const last = events.at(-1)!.revision;
  const whole = events.filter((event) => event.revision !== last);
  return whole.length > 0 ? { events: whole, more: true } : { events, more: true };
}
