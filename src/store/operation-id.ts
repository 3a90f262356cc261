import { randomFillSync } from 'node:crypto';

const ID_RANDOM_BYTES = 16;
/** Random bytes are drawn 256 ids at a time: one system call instead of one per id. */
const pool = Buffer.alloc(ID_RANDOM_BYTES * 256);
let offset = pool.length;

function randomBase64url(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const text = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return text;
}

/**
 * A new public operation id: 12 hex digits of the creation time in ms, then 128 random bits in base64url.
 * Time-ordered ids append at the end of the primary-key index (measurably faster inserts than random ids,
 * and lists sort by creation for free) while the random part keeps them unguessable. No `:` or `.`.
 */
export function newOperationId(now = Date.now()): string {
  return now.toString(16).padStart(12, '0') + newOperationIdSuffix();
}

/** The random part of an operation id, for a store that stamps the time part itself. */
export function newOperationIdSuffix(): string {
  return randomBase64url(ID_RANDOM_BYTES);
}

export function isOperationId(value: string): boolean {
  return /^[0-9a-f]{12}[A-Za-z0-9_-]{22}$/.test(value);
}

/** A lease token: unique per claim, unguessable, so a write under a stale lease cannot match by chance. */
export function newLeaseToken(workerId: string): string {
  return `${workerId}.${randomBase64url(9)}`;
}
