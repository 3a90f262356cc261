import type { HandlerContext, RequestScope } from '../handler-context.js';
import { type StreamHub, streamHubOf } from './stream-hub.js';

/**
 * A `text/event-stream` answer: a real Response whose body is the stream, which the node adapter
 * sends with its headers at once and cancels when the client disconnects. `no-store`, and no
 * buffering by proxies that honour `X-Accel-Buffering`, so each event leaves when it is written.
 */
export function eventStreamResponse(body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}

/** The stream hub of this handler: one store listener and one keep-alive timer for all its streams. */
export const hubOf = (context: HandlerContext): StreamHub =>
  streamHubOf(context, context.store, context.eventStreams?.keepAliveMs);

/**
 * Reports a stream that failed part-way (the store could not be read) like any handler error. Keeps
 * two strings, not the request: it lives as long as the stream.
 */
export function streamErrorReporter(
  context: HandlerContext,
  scope: RequestScope,
): (error: unknown) => void {
  const { events } = context;
  const method = scope.request.method;
  const path = scope.pathname;
  return (error) => events.emit({ type: 'http:error', method, path, error });
}
