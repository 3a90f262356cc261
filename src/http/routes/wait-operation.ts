import { isTerminal } from '../../protocol/operation-state.js';
import { ProblemError } from '../../protocol/problem.js';
import { estimatedOperationResponse } from '../estimated-response.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { operationResponse } from '../operation-headers.js';
import { waitForOperation } from '../wait-for-change.js';
import { findOperation, foundOrThrow } from './lookup.js';

/** Google duration (`"30s"`, `"1.5s"`) or plain seconds, from `?timeout=` or a JSON body `timeout`. */
function parseTimeout(raw: string | null, maxSeconds: number): number {
  if (raw === null) return maxSeconds;
  const match = /^(\d+(?:\.\d+)?)s?$/.exec(raw.trim());
  if (!match) {
    throw new ProblemError(
      'InvalidArgument',
      `timeout "${raw}" is not a duration: use seconds, e.g. "30s" (at most ${maxSeconds}s).`,
      { target: 'timeout' },
    );
  }
  return Math.min(Number(match[1]), maxSeconds);
}

/** `POST R/operations/{id}:wait` (Google WaitOperation): held until done or the timeout; then 200. */
export async function waitOperation(context: HandlerContext, scope: RequestScope, id: string) {
  const seconds = parseTimeout(scope.url.searchParams.get('timeout'), context.maxWaitSeconds);
  const operation = await findOperation(context, scope, id);
  if (isTerminal(operation.status)) return operationResponse(scope, operation);
  const lookup = await waitForOperation(
    context.store,
    scope.tenant,
    id,
    (latest) => isTerminal(latest.status),
    { timeoutMs: seconds * 1000, signal: scope.request.signal },
  );
  return estimatedOperationResponse(
    context,
    scope,
    lookup.outcome === 'missing' ? operation : foundOrThrow(lookup, id),
  );
}
