import { type EstimateBasis, estimateOperation } from '../protocol/estimate.js';
import { etagMatches, operationEtag } from '../protocol/etag.js';
import { isTerminal } from '../protocol/operation-state.js';
import { estimateBasisCache } from '../store/estimate-basis-cache.js';
import type { OperationRecord } from '../store/store.js';
import type { HandlerContext, RequestScope } from './handler-context.js';
import { operationResponse } from './operation-headers.js';

/**
 * operationResponse() with time estimates (protocol/estimate.ts) for an operation still to finish.
 * A finished operation has none, and a 304 never computes one: it is answered before the basis is
 * even looked at. The basis comes from the per-process cache (store/estimate-basis-cache.ts): no
 * query on a GET, except the first of a kind in this process (and, stale-while-refreshing, one in
 * the background every few seconds).
 */
export function estimatedOperationResponse(
  context: HandlerContext,
  scope: RequestScope,
  operation: OperationRecord,
  extraHeaders: Record<string, string> = {},
): Response | Promise<Response> {
  if (
    isTerminal(operation.status) ||
    operation.status === 'Canceling' ||
    etagMatches(
      scope.request.headers.get('if-none-match'),
      operationEtag(operation.id, operation.revision),
    )
  ) {
    return operationResponse(scope, operation, extraHeaders);
  }
  const respond = (basis: EstimateBasis) =>
    operationResponse(
      scope,
      operation,
      extraHeaders,
      200,
      estimateOperation(operation, basis, Date.now()),
    );
  // Synchronous when the basis is remembered: no extra turn on the hot path.
  const cached = estimateBasisCache(context.store).get(operation.kind);
  return cached instanceof Promise ? cached.then(respond) : respond(cached);
}
