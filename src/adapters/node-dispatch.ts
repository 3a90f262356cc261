import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FetchHandler, problem } from '../http/respond.js';
import { createFetchRequest, requestOrigin } from './node-request.js';
import { writeFetchResponse } from './node-response.js';

export interface DispatchOptions {
  /** `scheme://host[:port]` used for the request URL instead of the Host header. */
  publicOrigin?: string | undefined;
  /** A body a framework already consumed and parsed, re-serialized (see express.ts). */
  bodyOverride?: Uint8Array<ArrayBuffer> | undefined;
  /** Called once the core has answered, just before writing (Fastify hijacks its reply here). */
  beforeWrite?: (() => void) | undefined;
}

/**
 * The whole round trip shared by every node-based adapter: node request → Fetch Request → core →
 * node response. Resolves when the answer is written; rejects with what the core (or a streamed
 * body) threw, so each adapter can hand the error to its framework.
 */
export function dispatchToFetchHandler(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  options: DispatchOptions = {},
): Promise<void> {
  // Plain promise chaining rather than an async function: this runs once per request.
  let answered: Promise<Response>;
  try {
    const origin = requestOrigin(req, options.publicOrigin);
    answered =
      origin === undefined
        ? Promise.resolve(problem(400, { code: 'InvalidArgument', message: BAD_HOST }))
        : handler(createFetchRequest(req, res, origin, options.bodyOverride));
  } catch (error) {
    return Promise.reject(error);
  }
  return answered.then((response) => {
    options.beforeWrite?.();
    return writeFetchResponse(response, res);
  });
}

const BAD_HOST = 'The Host header is not a valid host[:port].';

/** Strips a trailing slash so `origin + path` never doubles it; rejects anything but an http(s) origin. */
export function normalizePublicOrigin(publicOrigin: string | undefined): string | undefined {
  if (publicOrigin === undefined) return undefined;
  const url = new URL(publicOrigin);
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search
  ) {
    throw new TypeError(
      `publicOrigin must be "http(s)://host[:port]" without a path; got "${publicOrigin}".`,
    );
  }
  return url.origin;
}
