import { createHash } from 'node:crypto';
import { ProblemError } from '../protocol/problem.js';

/** Headers that carry an idempotency key, in order of preference (IETF draft, Azure, Azure ARM). */
const KEY_HEADERS = ['idempotency-key', 'repeatability-request-id', 'operation-id'] as const;

/** The caller's idempotency key: a header, or a `requestId` member of a JSON object body. */
export function idempotencyKeyOf(request: Request, body: unknown): string | undefined {
  for (const name of KEY_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) return validKey(value.trim(), name);
  }
  if (typeof body === 'object' && body !== null && 'requestId' in body) {
    const value = (body as { requestId: unknown }).requestId;
    if (typeof value === 'string') return validKey(value, 'requestId');
  }
  return undefined;
}

function validKey(key: string, source: string): string {
  if (key.length === 0 || key.length > 255) {
    throw new ProblemError(
      'InvalidArgument',
      `The idempotency key in "${source}" must be 1 to 255 characters long.`,
      { target: source },
    );
  }
  return key;
}

/** What makes two requests "the same": method, path and body bytes. */
export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(body).digest('base64url');
}
