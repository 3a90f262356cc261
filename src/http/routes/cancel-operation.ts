import { ProblemError } from '../../protocol/problem.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { operationResponse } from '../operation-headers.js';
import { foundOrThrow } from './lookup.js';

/**
 * `POST R/operations/{id}:cancel`, idempotent: not started, Canceled at once; running, Canceling until
 * its worker stops. Succeeded or Failed: 409.
 */
export async function cancelOperation(context: HandlerContext, scope: RequestScope, id: string) {
  const result = await context.store.requestCancel(
    scope.tenant,
    id,
    Date.now() + context.retentionMs,
  );
  if (result.outcome === 'gone' || result.outcome === 'missing') throw foundOrThrow(result, id);
  if (result.outcome === 'finished') {
    throw new ProblemError(
      'Conflict',
      `Operation ${id} already ${result.operation.status}; only an operation that has not finished can be canceled.`,
    );
  }
  return operationResponse(scope, result.operation);
}
