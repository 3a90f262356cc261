import { renderOperation } from '../../protocol/operation-resource.js';
import { isTerminal } from '../../protocol/operation-state.js';
import { CANCELED_ERROR } from '../../protocol/problem.js';
import type { OperationRecord } from '../../store/store.js';
import type { RequestScope } from '../handler-context.js';
import { operationHeaders, urlsOf } from '../operation-headers.js';
import { empty, json, problem } from '../respond.js';

/** OData 4.01 clients say so with a version header; they get 200 + AsyncResult for failures too. */
export function isODataClient(request: Request): boolean {
  return request.headers.has('odata-version') || request.headers.has('odata-maxversion');
}

/**
 * What the result monitor answers (PROTOCOL.md section 4), also used for `Prefer: wait` on a start.
 * Not done: 202 back to the same URL. Done: the outcome, as the request that started it would have.
 */
export function resultResponse(
  scope: RequestScope,
  operation: OperationRecord,
  extraHeaders: Record<string, string> = {},
): Response {
  const urls = urlsOf(scope, operation);
  if (!isTerminal(operation.status)) {
    return json(renderOperation(operation, urls), 202, {
      ...operationHeaders(operation),
      location: urls.result,
      'content-location': urls.self,
      ...extraHeaders,
    });
  }
  const accept = scope.request.headers.get('accept');
  const base = {
    'cache-control': 'private, no-cache',
    'content-location': urls.self,
    ...extraHeaders,
  };
  if (operation.status === 'Succeeded') {
    const resourceUrl =
      operation.resourceLocation === undefined
        ? undefined
        : urls.resolve(operation.resourceLocation);
    // JSON:API asks to be sent to the created resource itself; no other client follows a 303 on GET.
    if (resourceUrl && accept?.includes('application/vnd.api+json')) {
      return empty(303, { ...base, location: resourceUrl });
    }
    if (operation.method === 'DELETE' && operation.result === undefined) {
      return empty(204, { ...base, asyncresult: '204' });
    }
    const status = operation.resultHttpStatus ?? 200;
    const headers: Record<string, string> = { ...base, asyncresult: String(status) };
    if (resourceUrl) headers.location = resourceUrl;
    const body = operation.result ?? renderOperation(operation, urls);
    return json(body, status, headers);
  }
  const error = operation.error ?? CANCELED_ERROR;
  const status = operation.status === 'Canceled' ? 409 : (operation.resultHttpStatus ?? 500);
  const odata = isODataClient(scope.request);
  return problem(odata ? 200 : status, error, {
    accept,
    instance: urls.self,
    headers: { ...base, asyncresult: String(status) },
  });
}
