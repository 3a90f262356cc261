import type { HandlerContext, RequestScope } from '../handler-context.js';
import { findOperation } from './lookup.js';
import { resultResponse } from './result-response.js';

/** `GET R/operations/{id}/result`: the result monitor (PROTOCOL.md section 4). */
export async function getResult(context: HandlerContext, scope: RequestScope, id: string) {
  return resultResponse(scope, await findOperation(context, scope, id));
}
