import { createHash, timingSafeEqual } from 'node:crypto';
import { ProblemError } from '../protocol/problem.js';

/** Who is calling: every operation belongs to the tenant that started it. */
export interface Caller {
  tenant: string;
}

/** Returns the caller, or throws a ProblemError (401/403). */
export type Authenticator = (request: Request) => Promise<Caller> | Caller;

/** Without configured keys: everybody is one anonymous tenant. */
export const anonymous: Authenticator = () => ({ tenant: 'anonymous' });

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The API key of a request: `Authorization: Bearer <key>`, `api-key` or `x-api-key`. */
function presentedKey(request: Request): string | undefined {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return match?.[1];
  }
  return request.headers.get('api-key') ?? request.headers.get('x-api-key') ?? undefined;
}

/**
 * API keys given by configuration, mapped to tenants. Keys are compared as SHA-256 digests in constant
 * time, against every configured key (so timing tells nothing about which or how many keys exist).
 * Keys never appear in errors or logs.
 */
export function apiKeyAuthenticator(keys: Readonly<Record<string, string>>): Authenticator {
  const entries = Object.entries(keys).map(([key, tenant]) => ({ hash: digest(key), tenant }));
  if (entries.length === 0) throw new TypeError('apiKeyAuthenticator needs at least one key.');
  return (request) => {
    const key = presentedKey(request);
    if (key === undefined) {
      throw new ProblemError(
        'Unauthenticated',
        'This API needs an API key: send it as "Authorization: Bearer <key>" or in an "api-key" header.',
        { headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    const hash = digest(key);
    let tenant: string | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(entry.hash, hash)) tenant ??= entry.tenant;
    }
    if (tenant === undefined) {
      throw new ProblemError(
        'Unauthenticated',
        'The API key is not valid. Check the key and try again.',
        {
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        },
      );
    }
    return { tenant };
  };
}
