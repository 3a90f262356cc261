import { readLocationAnswer, readStatusBody, type StatusReading } from './dialects.js';
import { HttpError, ProtocolError } from './errors.js';
import { withAnswer } from './read-answer.js';
import type { OperationSnapshot } from './snapshot.js';
import type { OperationHandleJSON } from './watch-context.js';

export interface StartedOperation {
  descriptor: OperationHandleJSON;
  snapshot: OperationSnapshot;
}

/** Where Google operation names live: the base URL, or the request's origin plus its version segment. */
function googleRoot(requestUrl: string, baseUrl: string | undefined): string {
  if (baseUrl !== undefined) return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(requestUrl);
  const version = /^\/(v\d+[a-z0-9]*)\//i.exec(url.pathname)?.[1];
  return `${url.origin}/${version ? `${version}/` : ''}`;
}

/**
 * Makes sense of the answer to the request that started an operation, whatever the dialect:
 * - `Azure-AsyncOperation` or `Operation-Location` (or longrun's `links.self`, or a running Google
 *   operation's name): poll that status monitor;
 * - a resource body with a `provisioningState` still in progress: poll the resource itself;
 * - `Location` only: poll it until it answers something other than 202;
 * - a 200/201/204 with none of these: the operation finished at once, this answer is the outcome.
 * Relative URLs are resolved against the request's URL (after redirects).
 */
export function interpretStart(
  method: string,
  requestUrl: string,
  response: Response,
  body: unknown,
  baseUrl: string | undefined,
): StartedOperation {
  const base = response.url || requestUrl;
  const header = (name: string) => {
    const value = response.headers.get(name);
    return value ? new URL(value, base).href : undefined;
  };
  const location = header('location');
  const descriptor = (monitor: string, mode: OperationHandleJSON['mode']): OperationHandleJSON => ({
    monitor,
    mode,
    method,
    url: requestUrl,
    ...(location === undefined ? {} : { location }),
  });
  const snapshot = (reading: StatusReading) => withAnswer(reading, response, body);
  if (!response.ok) {
    // With `AsyncResult` the error is the outcome of an operation that ended at once (Prefer: wait).
    if (!response.headers.has('asyncresult')) {
      throw new HttpError(method, requestUrl, response.status, body);
    }
    const monitor = header('content-location') ?? requestUrl;
    const reading = readLocationAnswer(response.status, body);
    return { descriptor: descriptor(monitor, 'location'), snapshot: snapshot(reading) };
  }
  const asyncHeader = header('azure-asyncoperation') ?? header('operation-location');
  // A 202, or an answer with a status monitor, is about the operation. Any other answer may be a
  // result with a `status` field of its own: only a longrun or Google operation, or a resource still
  // provisioning, say that it is still running.
  const read = readStatusBody(body);
  const aboutOperation = response.status === 202 || asyncHeader !== undefined;
  const told = aboutOperation || read?.dialect !== 'status' ? read : undefined;
  const running = response.status === 202 || (told !== undefined && !told.done);
  const selfLink = told?.dialect === 'longrun' ? told.links?.self : undefined;
  const googleName = told?.dialect === 'google' && !told.done ? told.id : undefined;
  const statusMonitor =
    asyncHeader ??
    selfLink ??
    (googleName === undefined
      ? undefined
      : (location ?? new URL(googleName, googleRoot(requestUrl, baseUrl)).href));
  if (statusMonitor !== undefined && (running || asyncHeader !== undefined)) {
    const reading: StatusReading =
      told !== undefined && told.dialect !== 'resource'
        ? told
        : { dialect: 'status', status: 'Running', done: false };
    return { descriptor: descriptor(statusMonitor, 'status'), snapshot: snapshot(reading) };
  }
  if (told?.dialect === 'resource' && !told.done) {
    return { descriptor: descriptor(location ?? requestUrl, 'resource'), snapshot: snapshot(told) };
  }
  if (running) {
    if (location === undefined) {
      throw new ProtocolError(
        `${method} ${requestUrl} answered ${response.status} for an operation still running, but gave no Operation-Location, Azure-AsyncOperation or Location header to poll.`,
        requestUrl,
      );
    }
    return {
      descriptor: descriptor(location, 'location'),
      snapshot: snapshot(readLocationAnswer(202, body)),
    };
  }
  // Finished at once: this answer is the outcome (a Google operation keeps it in `response`).
  const monitor = header('content-location') ?? location ?? requestUrl;
  const final: StatusReading =
    told?.dialect === 'google'
      ? told
      : told?.done
        ? { ...told, dialect: 'resource' }
        : { dialect: 'resource', status: 'Succeeded', done: true };
  return { descriptor: descriptor(monitor, 'auto'), snapshot: snapshot(final) };
}
