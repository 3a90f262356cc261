import type { Estimate } from '../protocol/estimate.js';
import { etagMatches, operationEtag } from '../protocol/etag.js';
import {
  type OperationUrls,
  operationUrls,
  renderOperation,
} from '../protocol/operation-resource.js';
import { isTerminal } from '../protocol/operation-state.js';
import { retryAfterSeconds } from '../protocol/retry-after.js';
import type { OperationRecord } from '../store/store.js';
import type { RequestScope } from './handler-context.js';
import { empty, json, jsonText } from './respond.js';

export function urlsOf(scope: RequestScope, operation: OperationRecord): OperationUrls {
  return operationUrls(scope.root, operation.id);
}

/**
 * Headers every answer about an operation carries: ETag, caching, and Retry-After while not done
 * (following the estimate when there is one).
 */
export function operationHeaders(
  operation: OperationRecord,
  estimate?: Estimate,
): Record<string, string> {
  const headers: Record<string, string> = {
    etag: operationEtag(operation.id, operation.revision),
    'cache-control': 'private, no-cache',
  };
  if (!isTerminal(operation.status)) {
    const now = estimate?.now ?? Date.now();
    headers['retry-after'] = String(retryAfterSeconds(operation, now, estimate?.remainingMs));
  }
  return headers;
}

/**
 * The representation as JSON text, kept per record object: the store hands out the same record until
 * the operation changes, so polls between two revisions skip rendering and serialising (most of a
 * GET's own work, measured). Kept at most a second, since estimates in it move with the clock.
 */
const renderedBodies = new WeakMap<
  OperationRecord,
  { root: string; at: number; estimated: boolean; text: string }
>();
const RENDERED_BODY_TTL_MS = 1000;
/** A body with an estimate in it is kept for less: its remaining seconds (0.1 s steps) go stale. */
const ESTIMATED_BODY_TTL_MS = 100;

export function representationText(
  scope: RequestScope,
  operation: OperationRecord,
  estimate?: Estimate,
): string {
  const now = Date.now();
  const estimated = estimate !== undefined;
  const kept = renderedBodies.get(operation);
  const ttl = estimated ? ESTIMATED_BODY_TTL_MS : RENDERED_BODY_TTL_MS;
  if (kept && kept.root === scope.root && kept.estimated === estimated && now - kept.at < ttl) {
    return kept.text;
  }
  const text = JSON.stringify(renderOperation(operation, urlsOf(scope, operation), estimate));
  renderedBodies.set(operation, { root: scope.root, at: now, estimated, text });
  return text;
}

/** `200` + the representation, or `304` when the caller's If-None-Match already names this revision. */
export function operationResponse(
  scope: RequestScope,
  operation: OperationRecord,
  extraHeaders: Record<string, string> = {},
  status = 200,
  estimate?: Estimate,
): Response {
  const headers = Object.assign(operationHeaders(operation, estimate), extraHeaders);
  if (status === 200 && etagMatches(scope.request.headers.get('if-none-match'), headers.etag!)) {
    return empty(304, headers);
  }
  return jsonText(representationText(scope, operation, estimate), status, headers);
}

/** The 202 answer to a started operation: the monitor headers every stock poller looks for. */
export function acceptedResponse(
  scope: RequestScope,
  operation: OperationRecord,
  extraHeaders: Record<string, string> = {},
): Response {
  const urls = urlsOf(scope, operation);
  return json(renderOperation(operation, urls), 202, {
    ...operationHeaders(operation),
    'retry-after': String(retryAfterSeconds(operation, Date.now())),
    'operation-location': urls.self,
    location: urls.result,
    'content-location': urls.self,
    ...extraHeaders,
  });
}
