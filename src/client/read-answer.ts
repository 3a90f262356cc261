import {
  readLocationAnswer,
  readResourceAnswer,
  readStatusBody,
  type StatusReading,
} from './dialects.js';
import { HttpError, ProtocolError } from './errors.js';
import type { OperationSnapshot } from './snapshot.js';
import type { MonitorMode } from './watch-context.js';

/** Statuses that mean "you may not see this", whatever the mode: never an operation's outcome. */
const ACCESS_STATUSES = new Set([401, 403, 404, 407, 410]);

/** A snapshot from a reading plus the HTTP facts of the answer it came from. */
export function withAnswer(
  reading: StatusReading,
  response: Response,
  body: unknown,
): OperationSnapshot {
  const snapshot: OperationSnapshot = { ...reading, httpStatus: response.status, body };
  const etag = response.headers.get('etag');
  if (etag) snapshot.etag = etag;
  return snapshot;
}

/** The mode an `auto` monitor turns out to have, from its first answer. */
export function resolveMode(mode: MonitorMode, status: number, body: unknown): MonitorMode {
  if (mode !== 'auto') return mode;
  if (status === 202) return 'location';
  const told = readStatusBody(body);
  if (status >= 200 && status < 300 && told !== undefined) {
    return told.dialect === 'resource' ? 'resource' : 'status';
  }
  return status >= 200 && status < 300 ? 'location' : mode;
}

/**
 * What one answer of the monitor says, read the way `mode` says. Answers that are not about the
 * operation (an error from a status monitor; 401, 403, 404, 410 from any) throw HttpError.
 */
export function snapshotFromAnswer(
  mode: MonitorMode,
  url: string,
  response: Response,
  body: unknown,
): OperationSnapshot {
  if (ACCESS_STATUSES.has(response.status) || (mode !== 'location' && !response.ok)) {
    throw new HttpError('GET', url, response.status, body);
  }
  if (mode === 'location')
    return withAnswer(readLocationAnswer(response.status, body), response, body);
  if (mode === 'resource') return withAnswer(readResourceAnswer(body), response, body);
  const reading = readStatusBody(body);
  if (reading === undefined) {
    throw new ProtocolError(
      `GET ${url} answered ${response.status} with no operation status in its body (no "status", "done" or "provisioningState"); is it an operation's status monitor?`,
      url,
    );
  }
  return withAnswer(reading, response, body);
}
