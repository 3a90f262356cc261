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

/** Headers every answer about an operation carries: ETag, caching, and Retry-After while not done. */
export function operationHeaders(operation: OperationRecord): Record<string, string> {
  const headers: Record<string, string> = {
    etag: operationEtag(operation.id, operation.revision),
    'cache-control': 'private, no-cache',
  };
  if (!isTerminal(operation.status)) {
    headers['retry-after'] = String(retryAfterSeconds(operation, Date.now()));
  }
  return headers;
}

/**
 * The representation as JSON text, kept per record object: the store hands out the same record until
 * the operation changes, so polls between two revisions skip rendering and serialising (most of a
 * GET's own work, measured). Kept at most a second, since estimates in it move with the clock.
 */
const renderedBodies = new WeakMap<OperationRecord, { root: string; at: number; text: string }>();
const RENDERED_BODY_TTL_MS = 1000;

export function representationText(scope: RequestScope, operation: OperationRecord): string {
  const now = Date.now();
  const kept = renderedBodies.get(operation);
  if (kept && kept.root === scope.root && now - kept.at < RENDERED_BODY_TTL_MS) return kept.text;
  const text = JSON.stringify(renderOperation(operation, urlsOf(scope, operation)));
  renderedBodies.set(operation, { root: scope.root, at: now, text });
  return text;
}

/** `200` + the representation, or `304` when the caller's If-None-Match already names this revision. */
export function operationResponse(
  scope: RequestScope,
  operation: OperationRecord,
  extraHeaders: Record<string, string> = {},
  status = 200,
): Response {
  const headers = { ...operationHeaders(operation), ...extraHeaders };
  if (status === 200 && etagMatches(scope.request.headers.get('if-none-match'), headers.etag!)) {
    return empty(304, headers);
  }
  return jsonText(representationText(scope, operation), status, headers);
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
