import { randomBytes } from 'node:crypto';

/**
 * A new public operation id: 12 hex digits of the creation time in ms, then 128 random bits in base64url.
 * Time-ordered ids append at the end of the primary-key index (measurably faster inserts than random ids,
 * and lists sort by creation for free) while the random part keeps them unguessable. No `:` or `.`.
 */
export function newOperationId(now = Date.now()): string {
  return now.toString(16).padStart(12, '0') + randomBytes(16).toString('base64url');
}

export function isOperationId(value: string): boolean {
  return /^[0-9a-f]{12}[A-Za-z0-9_-]{22}$/.test(value);
}

/** A lease token: unique per claim, unguessable, so a write under a stale lease cannot match by chance. */
export function newLeaseToken(workerId: string): string {
  return `${workerId}.${randomBytes(9).toString('base64url')}`;
}
