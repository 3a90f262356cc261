import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { FetchHandler } from '../http/respond.js';
import { dispatchToFetchHandler, normalizePublicOrigin } from './node-dispatch.js';

export interface ExpressMiddlewareOptions {
  /** `scheme://host[:port]` the core sees in `request.url`; default: `http(s)://` + the Host header. */
  publicOrigin?: string;
}

/**
 * Express 5 middleware running the core: `app.use('/v1', expressMiddleware(handler))`. The core
 * sees the full original URL (`/v1/...`), so give it the same `basePath`. Errors go to `next(err)`.
 * Works with or without a body parser (express.json(), express.text(), ...) installed before it.
 */
export function expressMiddleware(
  handler: FetchHandler,
  options: ExpressMiddlewareOptions = {},
): RequestHandler {
  const publicOrigin = normalizePublicOrigin(options.publicOrigin);
  return (req, res, next) => {
    dispatchToFetchHandler(handler, req, res, {
      publicOrigin,
      bodyOverride: alreadyParsedBody(req, req.body),
    })?.catch(next);
  };
}

/**
 * When a body parser already read the stream, the core cannot read it again: serialize what the
 * parser produced back into bytes. Exact bytes are lost (whitespace, key order stay as JSON prints
 * them), which is fine for a JSON API. Otherwise undefined: the core streams the untouched body.
 */
function alreadyParsedBody(
  req: IncomingMessage,
  body: unknown,
): Uint8Array<ArrayBuffer> | undefined {
  if (body === undefined || !req.readableEnded) return undefined;
  if (body instanceof Uint8Array) return Uint8Array.from(body); // express.raw(): a Buffer
  if (typeof body === 'string') return new TextEncoder().encode(body); // express.text()
  const isForm = /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
  const text = isForm
    ? new URLSearchParams(body as Record<string, string>).toString() // express.urlencoded()
    : JSON.stringify(body); // express.json()
  return new TextEncoder().encode(text);
}
