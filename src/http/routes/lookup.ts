import { ProblemError } from '../../protocol/problem.js';
import type { Lookup, OperationRecord } from '../../store/store.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';

/** The caller's operation, or the 404/410 problem. Another tenant's id is 404: existence never leaks. */
export async function findOperation(
  context: HandlerContext,
  scope: RequestScope,
  id: string,
): Promise<OperationRecord> {
  return foundOrThrow(await context.store.get(scope.tenant, id), id);
}

export function foundOrThrow(lookup: Lookup<OperationRecord>, id: string): OperationRecord {
  if (lookup.outcome === 'found') return lookup.operation;
  if (lookup.outcome === 'gone') {
    throw new ProblemError(
      'Gone',
      `Operation ${id} finished and passed its retention period; its record has been purged.`,
    );
  }
  throw new ProblemError('NotFound', `There is no operation ${id}. Check the id in the URL.`);
}
