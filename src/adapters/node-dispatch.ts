import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ANSWER_NOW,
  type Answer,
  type CoreHandler,
  type FetchHandler,
  problem,
} from '../http/respond.js';
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
 * node response. An answer the core has at once (a poll answered from memory) is written in this
 * same turn, and then nothing is returned; otherwise the promise resolves when the answer is
 * written. Failures reject it (never throw), with what the core (or a streamed body) threw, so each
 * adapter can hand the error to its framework.
 */
export function dispatchToFetchHandler(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  options: DispatchOptions = {},
): Promise<void> | undefined {
  let answered: Answer;
  try {
    const origin = requestOrigin(req, options.publicOrigin);
    const answerNow = (handler as CoreHandler)[ANSWER_NOW] ?? handler;
    answered =
      origin === undefined
        ? problem(400, { code: 'InvalidArgument', message: BAD_HOST })
        : answerNow(createFetchRequest(req, res, origin, options.bodyOverride));
    if (!(answered instanceof Promise)) return write(answered, res, options);
  } catch (error) {
    return Promise.reject(error);
  }
  // Plain promise chaining rather than an async function: this runs once per request.
  return answered.then((response) => write(response, res, options));
}

function write(
  response: Response,
  res: ServerResponse,
  options: DispatchOptions,
): Promise<void> | undefined {
  options.beforeWrite?.();
  return writeFetchResponse(response, res);
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
