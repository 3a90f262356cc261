import { eventData } from '../../protocol/operation-event-frames.js';
import { renderOperation } from '../../protocol/operation-resource.js';
import { sseMessage, sseRetry } from '../../protocol/server-sent-events.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { urlsOf } from '../operation-headers.js';
import { EventStream } from '../sse/event-stream.js';
import { eventStreamResponse, hubOf, streamErrorReporter } from '../sse/stream-response.js';

/** Events read per round trip. */
const READ_LIMIT = 500;
/** Operations the first snapshot shows: the newest not yet done. */
const SNAPSHOT_LIMIT = 100;
/** How soon a read is repeated when the store holds events back (older transactions still open). */
const UNSETTLED_RETRY_MS = 20;
/** What a dashboard's EventSource waits before reconnecting: the Retry-After policy's shortest. */
const RETRY_MS = 1000;

/**
 * `GET R/operations/events`: Server-Sent Events of all the caller's operations (dashboards). First a
 * `snapshot` of the operations not yet done (`{operations: [representation, ...]}`), then every
 * `step`, `progress`, `message` and `status` event of any of them, as `{operationId, revision, ...}`.
 * Each event's id is its place in the tenant's feed, so `Last-Event-ID` resumes exactly after it; an
 * id the store does not know (or none) starts with a fresh snapshot. It never ends by itself.
 */
export async function tenantEvents(context: HandlerContext, scope: RequestScope) {
  const { store } = context;
  const { tenant } = scope;
  const opening = await feedOpening(context, scope);
  let cursor = opening.cursor;
  // The pump keeps the store, the tenant and the cursor: not the request, nor the snapshot.
  const pump = async (open: EventStream) => {
    for (;;) {
      const page = await store.readTenantEvents(tenant, cursor, READ_LIMIT);
      let text = '';
      for (const event of page.events) {
        const data = {
          operationId: event.operationId,
          revision: event.revision,
          ...eventData(event),
        };
        text += sseMessage({ event: event.type, id: event.cursor, data: JSON.stringify(data) });
      }
      open.write(text);
      cursor = page.cursor;
      if (!page.settled) open.wakeSoon(UNSETTLED_RETRY_MS);
      if (page.events.length < READ_LIMIT) return true;
    }
  };
  const stream = new EventStream({
    hub: hubOf(context),
    tenant,
    initial: opening.text,
    pump,
    onError: streamErrorReporter(context, scope),
  });
  return eventStreamResponse(stream.body);
}

/** `retry:`, and a snapshot unless `Last-Event-ID` is a place in the feed; where to read from. */
async function feedOpening(context: HandlerContext, scope: RequestScope) {
  const { store } = context;
  const lastEventId = scope.request.headers.get('last-event-id') ?? undefined;
  const start = await store.readTenantEvents(scope.tenant, lastEventId, 0);
  let text = sseRetry(RETRY_MS);
  if (start.restarted) {
    const operations = await store.list({
      tenant: scope.tenant,
      statuses: ['NotStarted', 'Running', 'Canceling'],
      limit: SNAPSHOT_LIMIT,
    });
    const data = { operations: operations.map((op) => renderOperation(op, urlsOf(scope, op))) };
    text += sseMessage({ event: 'snapshot', id: start.cursor, data: JSON.stringify(data) });
  }
  return { text, cursor: start.cursor };
}
