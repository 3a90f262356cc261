import { readStatusBody } from './dialects.js';
import { HttpError, ProtocolError } from './errors.js';
import { withAnswer } from './read-answer.js';
import { type Requester, readBody } from './requester.js';
import type { OperationSnapshot } from './snapshot.js';
import type { OperationHandleJSON } from './watch-context.js';

/**
 * POSTs a cancel request: to `links.cancel`, else to `{status monitor}:cancel` (the URL Azure and
 * Google use). Resolves with the snapshot the server answered, when its body is an operation's status
 * (a Google cancel answers `{}`). A cancel is idempotent, so transient failures are retried.
 */
export async function requestCancel(
  requester: Requester,
  descriptor: OperationHandleJSON,
  latest: OperationSnapshot | undefined,
  signal: AbortSignal,
): Promise<OperationSnapshot | undefined> {
  const { monitor, mode } = descriptor;
  const url = latest?.links?.cancel ?? (mode === 'status' ? `${monitor}:cancel` : undefined);
  if (url === undefined) {
    throw new ProtocolError(
      `Operation ${monitor} offers no way to cancel it: no cancel link, and it is not a status monitor.`,
      monitor,
    );
  }
  const response = await requester.send(url, { method: 'POST', signal, retry: true });
  const body = await readBody(response, url);
  if (!response.ok) throw new HttpError('POST', url, response.status, body);
  const reading = readStatusBody(body);
  if (reading === undefined || reading.dialect === 'resource') return undefined;
  return withAnswer(reading, response, body);
}
