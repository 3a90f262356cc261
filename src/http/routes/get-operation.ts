import { etagMatches, operationEtag } from '../../protocol/etag.js';
import { isTerminal } from '../../protocol/operation-state.js';
import { parsePrefer } from '../../protocol/prefer.js';
import type { OperationRecord } from '../../store/store.js';
import { estimatedOperationResponse } from '../estimated-response.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import type { Answer } from '../respond.js';
import { waitForOperation } from '../wait-for-change.js';
import { findOperation, foundOrThrow } from './lookup.js';
import { acceptsEventStream, operationEvents } from './operation-events.js';

/**
 * `GET R/operations/{id}`: the status monitor. Always 200 while the operation exists (also when it
 * failed), 304 on a matching If-None-Match. With `Prefer: wait=N` it is a long-poll: held until the
 * revision differs from the one the caller has, the operation ends, or N seconds pass (then 304).
 * Answered at once (no promise) when the store has the operation in memory and nothing is awaited:
 * the common poll.
 */
export function getOperation(context: HandlerContext, scope: RequestScope, id: string): Answer {
  if (acceptsEventStream(scope.request)) return operationEvents(context, scope, id);
  const known = context.store.cached?.(scope.tenant, id);
  if (known !== undefined) return answerGet(context, scope, known);
  return findOperation(context, scope, id).then((operation) =>
    answerGet(context, scope, operation),
  );
}

function answerGet(context: HandlerContext, scope: RequestScope, operation: OperationRecord) {
  const { wait } = parsePrefer(scope.request.headers.get('prefer'), context.maxWaitSeconds);
  if (wait === undefined || wait === 0 || isTerminal(operation.status)) {
    return estimatedOperationResponse(context, scope, operation);
  }
  return longPoll(context, scope, operation, wait);
}

async function longPoll(
  context: HandlerContext,
  scope: RequestScope,
  operation: OperationRecord,
  wait: number,
): Promise<Response> {
  // Every answer to a long-poll says it was honoured, also when there is news at once: that is how
  // a client learns the server supports long-polling.
  const applied = { 'preference-applied': `wait=${wait}` };
  const ifNoneMatch = scope.request.headers.get('if-none-match');
  const known = ifNoneMatch ?? operationEtag(operation.id, operation.revision);
  if (!etagMatches(known, operationEtag(operation.id, operation.revision))) {
    return estimatedOperationResponse(context, scope, operation, applied);
  }
  const id = operation.id;
  const lookup = await waitForOperation(
    context.store,
    scope.tenant,
    id,
    (latest) =>
      isTerminal(latest.status) || !etagMatches(known, operationEtag(latest.id, latest.revision)),
    { timeoutMs: wait * 1000, signal: scope.request.signal },
  );
  const latest = lookup.outcome === 'missing' ? operation : foundOrThrow(lookup, id);
  // A timeout answers 304 to a caller that sent If-None-Match; one that did not cannot use a 304,
  // so it gets the current representation.
  return estimatedOperationResponse(context, scope, latest, applied);
}
