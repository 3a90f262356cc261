import { ProblemError } from '../../protocol/problem.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { json } from '../respond.js';
import { foundOrThrow } from './lookup.js';

/** `DELETE R/operations/{id}` (Google DeleteOperation): forget a finished operation. Then 404. */
export async function deleteOperation(context: HandlerContext, scope: RequestScope, id: string) {
  const outcome = await context.store.delete(scope.tenant, id);
  if (outcome === 'gone') throw foundOrThrow({ outcome: 'gone' }, id);
  if (outcome === 'missing') throw foundOrThrow({ outcome: 'missing' }, id);
  if (outcome === 'not-finished') {
    throw new ProblemError(
      'Conflict',
      `Operation ${id} has not finished, so it cannot be deleted. Cancel it first, then delete it.`,
    );
  }
  return json({}, 200);
}
