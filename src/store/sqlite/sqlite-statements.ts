import type BetterSqlite3 from 'better-sqlite3';
import { OPERATION_SELECT, OperationRowStatement } from './sqlite-rows.js';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** percentComplete never decreases (PROTOCOL.md section 3): a lower report keeps the stored value. */
const KEEP_HIGHEST_PERCENT =
  'percent = CASE WHEN @percent IS NULL THEN percent ELSE max(coalesce(percent, 0), @percent) END';

const CANCEL_WON = "(cancel_requested = 1 AND @status = 'Succeeded')";

/**
 * Every statement the SQLite store runs, prepared once. Values always go in as parameters.
 * Writes are fenced: they match `lease_token`, so a worker that lost its lease changes zero rows.
 */
export function prepareStatements(db: Database): SqliteStatements {
  const s = (sql: string): Statement => db.prepare(sql);
  const rows = (sql: string) => new OperationRowStatement(db, sql);
  return {
    insert: s(`INSERT INTO operations (id, tenant, kind, title, method, status, input, steps,
      max_attempts, run_after, created_at, updated_at)
      VALUES (@id, @tenant, @kind, @title, @method, 'NotStarted', @input, @steps,
      @maxAttempts, @now, @now, @now)`),
    byId: rows(`SELECT ${OPERATION_SELECT} FROM operations WHERE id = ?`),
    byTenantAndId: rows(`SELECT ${OPERATION_SELECT} FROM operations WHERE id = ? AND tenant = ?`),
    byResource:
      rows(`SELECT ${OPERATION_SELECT} FROM operations WHERE tenant = ? AND resource_location = ?
      AND status = 'Succeeded' AND tombstone_until IS NULL ORDER BY id DESC LIMIT 1`),
    keyLookup: s(`SELECT fingerprint, operation_id FROM idempotency_keys
      WHERE tenant = ? AND scope = ? AND key = ? AND expires_at > ?`),
    keyUpsert: s(`INSERT OR REPLACE INTO idempotency_keys VALUES
      (@tenant, @scope, @key, @fingerprint, @operationId, @expiresAt)`),
    // Queue order is (run_after, id): the partial index operations_queue serves it directly.
    claim: rows(`UPDATE operations SET
        status = CASE WHEN status = 'NotStarted' THEN 'Running' ELSE status END,
        queue_state = 'leased', attempts = attempts + 1, lease_token = @token,
        lease_expires_at = @leaseUntil, started_at = coalesce(started_at, @now),
        updated_at = @now, revision = revision + 1
      WHERE id IN (SELECT id FROM operations WHERE queue_state = 'queued' AND run_after <= @now
        AND kind IN (SELECT value FROM json_each(@kinds)) ORDER BY run_after, id LIMIT @limit)
      RETURNING ${OPERATION_SELECT}`),
    renew: s(`UPDATE operations SET lease_expires_at = ? WHERE id = ? AND lease_token = ?
      RETURNING cancel_requested`),
    update: s(`UPDATE operations SET
        message = coalesce(@message, message), ${KEEP_HIGHEST_PERCENT},
        progress = coalesce(@progress, progress), steps = coalesce(@steps, steps),
        updated_at = @now, revision = revision + 1
      WHERE id = @id AND lease_token = @token`),
    // One statement, fenced by the lease token (NULL for an operation no worker holds). A success that
    // arrives after a cancel request lost the race: it is recorded as the cancel it lost to.
    finish: s(`UPDATE operations SET queue_state = 'done',
        status = CASE WHEN ${CANCEL_WON} THEN 'Canceled' ELSE @status END,
        result = CASE WHEN ${CANCEL_WON} THEN NULL ELSE @result END,
        resource_location = CASE WHEN ${CANCEL_WON} THEN NULL ELSE @resourceLocation END,
        error = CASE WHEN ${CANCEL_WON} THEN @canceledError ELSE @error END,
        result_http_status = CASE WHEN ${CANCEL_WON} THEN 409 ELSE @resultHttpStatus END,
        message = coalesce(@message, message), ${KEEP_HIGHEST_PERCENT},
        progress = coalesce(@progress, progress), steps = coalesce(@steps, steps),
        lease_token = NULL, lease_expires_at = NULL,
        ended_at = @now, updated_at = @now, expires_at = @expiresAt, revision = revision + 1
      WHERE id = @id AND (@token IS NULL OR lease_token = @token)`),
    release: s(`UPDATE operations SET queue_state = 'queued', lease_token = NULL,
        lease_expires_at = NULL, run_after = @runAfter, attempts = attempts - @refund,
        message = coalesce(@message, message), ${KEEP_HIGHEST_PERCENT},
        progress = coalesce(@progress, progress), steps = coalesce(@steps, steps),
        updated_at = @now, revision = revision + 1
      WHERE id = @id AND lease_token = @token`),
    markCanceling: s(`UPDATE operations SET status = 'Canceling', cancel_requested = 1,
        updated_at = ?, revision = revision + 1 WHERE id = ?`),
    // No revision of its own: it runs in the same transaction as the write that ends the operation.
    markCancelRequested: s('UPDATE operations SET cancel_requested = 1 WHERE id = ?'),
    deleteOperation: s('DELETE FROM operations WHERE id = ?'),
    deleteKeysOf: s('DELETE FROM idempotency_keys WHERE operation_id = ?'),
    expiredLeases: rows(
      `SELECT ${OPERATION_SELECT} FROM operations WHERE queue_state = 'leased' AND lease_expires_at < ?`,
    ),
    requeue: s(`UPDATE operations SET queue_state = 'queued', lease_token = NULL,
        lease_expires_at = NULL, run_after = @now, message = @message, updated_at = @now,
        revision = revision + 1 WHERE id = @id`),
    entomb: s(`UPDATE operations SET tombstone_until = @until, input = NULL, result = NULL,
        steps = '[]', progress = NULL WHERE expires_at <= @now AND tombstone_until IS NULL`),
    purgeTombstones: s('DELETE FROM operations WHERE tombstone_until <= ?'),
    purgeKeys: s('DELETE FROM idempotency_keys WHERE expires_at <= ?'),
  };
}

type RowStatementName = 'byId' | 'byTenantAndId' | 'byResource' | 'claim' | 'expiredLeases';

type StatementName =
  | 'insert'
  | 'keyLookup'
  | 'keyUpsert'
  | 'renew'
  | 'update'
  | 'finish'
  | 'release'
  | 'markCanceling'
  | 'markCancelRequested'
  | 'deleteOperation'
  | 'deleteKeysOf'
  | 'requeue'
  | 'entomb'
  | 'purgeTombstones'
  | 'purgeKeys';

export type SqliteStatements = Record<StatementName, Statement> &
  Record<RowStatementName, OperationRowStatement>;
