import {
  HttpError,
  OperationCanceledError,
  OperationFailedError,
  ProtocolError,
} from './errors.js';
import { type Requester, readBody } from './requester.js';
import type { OperationSnapshot } from './snapshot.js';
import type { OperationHandleJSON } from './watch-context.js';

/**
 * The result of a finished operation, from where its dialect keeps it: the answer itself (`Location`
 * monitor, resource, an immediate 200), Google's inline `response`, longrun's result monitor, Azure's
 * `resourceLocation`; else by the starting method (PUT/PATCH re-read the resource, DELETE has none,
 * a POST's `Location`), else the status body's `result`, or that body itself (an action's status
 * monitor that carries its outcome). Failed and Canceled reject with their typed error.
 */
export async function finalResult(
  requester: Requester,
  descriptor: OperationHandleJSON,
  snapshot: OperationSnapshot,
  signal: AbortSignal,
): Promise<unknown> {
  const what = descriptor.monitor;
  if (snapshot.status === 'Failed') throw new OperationFailedError(what, snapshot);
  if (snapshot.status === 'Canceled') throw new OperationCanceledError(what, snapshot);
  if (!snapshot.done) {
    throw new ProtocolError(
      `Operation ${what} is not done (status ${snapshot.status}); it has no result yet.`,
      what,
    );
  }
  const body = (
    typeof snapshot.body === 'object' && snapshot.body !== null ? snapshot.body : {}
  ) as Record<string, unknown>;
  if (snapshot.dialect === 'location' || snapshot.dialect === 'resource') return snapshot.body;
  if (snapshot.dialect === 'google') return body.response;
  const get = (url: string) => fetchResult(requester, new URL(url, what).href, signal);
  if (snapshot.dialect === 'longrun' && snapshot.links?.result) return get(snapshot.links.result);
  if (snapshot.resourceLocation) return get(snapshot.resourceLocation);
  const method = descriptor.method?.toUpperCase();
  if (method === 'DELETE') return undefined;
  if ((method === 'PUT' || method === 'PATCH') && descriptor.url) return get(descriptor.url);
  if (method === 'POST' && descriptor.location && descriptor.location !== what) {
    return get(descriptor.location);
  }
  // An action's status monitor is its own result: inline as `result`, or the whole final body.
  return 'result' in body ? body.result : snapshot.body;
}

/** GETs a result: its body (undefined for 204); any answer but 2xx is an HttpError. */
async function fetchResult(
  requester: Requester,
  url: string,
  signal: AbortSignal,
): Promise<unknown> {
  const response = await requester.send(url, { signal, retry: true });
  const body = await readBody(response, url);
  if (response.status === 202) {
    throw new ProtocolError(
      `The operation is done, but its result at ${url} still answers 202 Accepted.`,
      url,
    );
  }
  if (!response.ok) throw new HttpError('GET', url, response.status, body);
  return body;
}
