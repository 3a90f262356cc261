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
import { empty, json } from './respond.js';

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
  return json(renderOperation(operation, urlsOf(scope, operation)), status, headers);
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
