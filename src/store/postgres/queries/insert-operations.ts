import type { SqlNames } from '../postgres-config.js';
import { createdSignalCte, NOW_MS } from './sql-parts.js';

/**
 * Creates a batch of operations in one statement: one round trip and one commit for every create of an
 * event-loop turn. Parameters are parallel arrays, one element per new operation:
 *   $1 id suffix (its random part), $2 tenant, $3 kind, $4 title, $5 method, $6 input (JSON),
 *   $7 steps (JSON), $8 max_attempts, $9 scope, $10 key, $11 fingerprint, $12 key expires_at
 *   (NULL key: no idempotency).
 * The id's time part is the database clock that also stamps created_at, so listing by id (newest
 * first) agrees with createdAt whatever the API nodes' clocks say.
 * Returns one row per input (`input_suffix`): the inserted operation (`id` not null), or for a key
 * already held the holder's `key_operation_id` and `key_fingerprint` (the caller replays or answers
 * key-reused).
 *
 * The key is claimed first with INSERT ... ON CONFLICT DO UPDATE, and the operation is inserted only
 * where the key was won, so key and operation commit together. DO UPDATE (not DO NOTHING) because it
 * locks and returns the conflicting row even when another transaction committed it after this
 * statement's snapshot: a racing duplicate waits for the winner, then sees its operation id. An
 * expired key is taken over. A key must appear at most once per statement (the batcher splits rounds).
 */
export const insertOperationsSql = (names: SqlNames) => `
WITH input AS (
  ${input(12)}
), claimed_keys AS (
  INSERT INTO ${names.keys} AS k (tenant, scope, key, fingerprint, operation_id, expires_at)
  SELECT tenant, scope, key, fingerprint, id, key_expires_at FROM input WHERE key IS NOT NULL
  ON CONFLICT (tenant, scope, key) DO UPDATE SET
    fingerprint = CASE WHEN k.expires_at <= ${NOW_MS} THEN excluded.fingerprint ELSE k.fingerprint END,
    operation_id = CASE WHEN k.expires_at <= ${NOW_MS} THEN excluded.operation_id
      ELSE k.operation_id END,
    expires_at = CASE WHEN k.expires_at <= ${NOW_MS} THEN excluded.expires_at ELSE k.expires_at END
  RETURNING k.tenant, k.scope, k.key, k.operation_id, k.fingerprint
), inserted AS (
  ${insertFrom(names, 'input WHERE key IS NULL OR id IN (SELECT operation_id FROM claimed_keys)')}
), ${createdSignalCte(names, 'signalled', 'inserted')}
SELECT i.suffix AS input_suffix, c.operation_id AS key_operation_id, c.fingerprint AS key_fingerprint, o.*
FROM input i
LEFT JOIN inserted o ON o.id = i.id
LEFT JOIN claimed_keys c ON (c.tenant, c.scope, c.key) = (i.tenant, i.scope, i.key)
CROSS JOIN (SELECT count(*) FROM signalled) AS s`;

/**
 * The same for a batch in which no operation has an idempotency key (most of them): parameters $1 to
 * $8 only, and no key to claim, so a fifth cheaper (measured: 0.44 ms against 0.54 per round trip).
 */
export const insertUnkeyedOperationsSql = (names: SqlNames) => `
WITH input AS (
  ${input(8)}
), inserted AS (
  ${insertFrom(names, 'input')}
), ${createdSignalCte(names, 'signalled', 'inserted')}
SELECT right(o.id, -12) AS input_suffix, NULL AS key_operation_id, NULL AS key_fingerprint, o.*
FROM inserted o CROSS JOIN (SELECT count(*) FROM signalled) AS s`;

const COLUMNS = [
  ['suffix', 'text'],
  ['tenant', 'text'],
  ['kind', 'text'],
  ['title', 'text'],
  ['method', 'text'],
  ['input', 'text'],
  ['steps', 'text'],
  ['max_attempts', 'int'],
  ['scope', 'text'],
  ['key', 'text'],
  ['fingerprint', 'text'],
  ['key_expires_at', 'bigint'],
] as const;

/** One row per element of the first `count` parallel arrays, with the new operation's id. */
function input(count: number): string {
  const columns = COLUMNS.slice(0, count);
  const arrays = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
  const names = columns.map(([name]) => name).join(', ');
  return `SELECT lpad(to_hex(${NOW_MS}), 12, '0') || t.suffix AS id, t.*
  FROM unnest(${arrays}) AS t (${names})`;
}

function insertFrom(names: SqlNames, source: string): string {
  return `INSERT INTO ${names.operations} (id, tenant, kind, title, method, status, input, steps,
    max_attempts, run_after, created_at, updated_at)
  SELECT id, tenant, kind, title, method, 'NotStarted', input, steps, max_attempts,
    ${NOW_MS}, ${NOW_MS}, ${NOW_MS}
  FROM ${source}
  RETURNING *`;
}

/**
 * Forgets a key whose operation was deleted, purged or has expired, so the create that found it can
 * start a new operation. Only if the key still names that operation: a newer claim is left alone.
 */
export const forgetStaleKeySql = (names: SqlNames) => `
DELETE FROM ${names.keys}
WHERE tenant = $1 AND scope = $2 AND key = $3 AND operation_id = $4`;
