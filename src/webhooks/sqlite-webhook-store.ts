import { randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type {
  NewWebhookSubscription,
  WebhookAttempt,
  WebhookCallback,
  WebhookDelivery,
  WebhookStore,
  WebhookSubscription,
} from '../store/store.js';
import {
  type OutboxRow,
  type SubscriptionRow,
  storedTypes,
  toDelivery,
  toSubscription,
} from './webhook-rows.js';

/** Runs a synchronous write in the store's group commit: durable before it resolves. */
export type SqliteWrite = <T>(write: () => T) => Promise<T>;

const TERMINAL = "('Succeeded', 'Failed', 'Canceled')";

/** WebhookStore over the SqliteStore's connection (tables and triggers of migration 0004). */
export class SqliteWebhookStore implements WebhookStore {
  readonly #db: BetterSqlite3.Database;
  readonly #write: SqliteWrite;

  constructor(db: BetterSqlite3.Database, write: SqliteWrite) {
    this.#db = db;
    this.#write = write;
  }

  addSubscription(input: NewWebhookSubscription): Promise<WebhookSubscription> {
    const row: SubscriptionRow = {
      id: `sub_${randomBytes(16).toString('hex')}`,
      tenant: input.tenant,
      url: input.url,
      types: storedTypes(input.types),
      root: input.root,
      created_at: Date.now(),
      disabled_at: null,
    };
    return this.#write(() => {
      this.#db
        .prepare(`INSERT INTO webhook_subscriptions (id, tenant, url, types, secret, root,
          created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(row.id, row.tenant, row.url, row.types, input.secret, row.root, row.created_at);
      return toSubscription(row);
    });
  }

  async listSubscriptions(tenant: string): Promise<WebhookSubscription[]> {
    const rows = this.#db
      .prepare('SELECT * FROM webhook_subscriptions WHERE tenant = ? ORDER BY created_at, id')
      .all(tenant) as SubscriptionRow[];
    return rows.map(toSubscription);
  }

  deleteSubscription(tenant: string, id: string): Promise<boolean> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare('DELETE FROM webhook_subscriptions WHERE id = ? AND tenant = ?')
        .run(id, tenant);
      if (changes > 0) this.#stopPending(id, 'The subscription was deleted.');
      return changes > 0;
    });
  }

  addCallback(callback: WebhookCallback): Promise<void> {
    const { operationId, method, tenant, url, secret, root } = callback;
    return this.#write(() => {
      this.#db
        .prepare(`INSERT OR REPLACE INTO webhook_callbacks (operation_id, method, tenant, url,
          secret, root) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(operationId, method, tenant, url, secret, root);
      // Ended before the callback was recorded: the trigger has passed, so queue it here.
      this.#db
        .prepare(`INSERT INTO webhook_outbox (id, tenant, operation_id, url, method, secret, root,
            type, kind, op_status, percent, occurred_at, next_attempt_at)
          SELECT 'msg_' || lower(hex(randomblob(16))), tenant, id, ?, ?, ?, ?,
            'operation.' || lower(status), kind, status, percent, updated_at, updated_at
          FROM operations WHERE id = ? AND tenant = ? AND status IN ${TERMINAL}
            AND NOT EXISTS (SELECT 1 FROM webhook_outbox WHERE operation_id = ? AND url = ?
              AND method = ? AND subscription_id IS NULL)`)
        .run(url, method, secret, root, operationId, tenant, operationId, url, method);
    });
  }

  claimDue(now: number, limit: number, holdMs: number): Promise<WebhookDelivery[]> {
    return this.#write(() => {
      const rows = this.#db
        .prepare(`UPDATE webhook_outbox SET next_attempt_at = ? WHERE id IN (SELECT id FROM
            webhook_outbox WHERE state = 'pending' AND next_attempt_at <= ?
            ORDER BY next_attempt_at LIMIT ?) RETURNING *`)
        .all(now + holdMs, now, limit) as OutboxRow[];
      return rows.map(toDelivery);
    });
  }

  recordAttempt(attempt: WebhookAttempt): Promise<void> {
    return this.#write(() => {
      const row = this.#db
        .prepare(`UPDATE webhook_outbox SET state = ?, attempts = attempts + 1,
            next_attempt_at = ?, last_attempt_at = ?, last_http_status = ?, last_error = ?
          WHERE id = ? RETURNING subscription_id`)
        .get(
          attempt.state,
          attempt.nextAttemptAt,
          attempt.at,
          attempt.httpStatus ?? null,
          attempt.error ?? null,
          attempt.id,
        ) as { subscription_id: string | null } | undefined;
      if (attempt.state !== 'gone' || !row?.subscription_id) return;
      this.#db
        .prepare('UPDATE webhook_subscriptions SET disabled_at = ? WHERE id = ?')
        .run(attempt.at, row.subscription_id);
      this.#stopPending(row.subscription_id, 'The receiver answered 410 Gone.');
    });
  }

  async listDeliveries(
    tenant: string,
    query: { operationId?: string | undefined; limit: number },
  ): Promise<WebhookDelivery[]> {
    const rows = this.#db
      .prepare(`SELECT * FROM webhook_outbox WHERE tenant = ? AND (? IS NULL OR operation_id = ?)
        ORDER BY occurred_at DESC, id LIMIT ?`)
      .all(
        tenant,
        query.operationId ?? null,
        query.operationId ?? null,
        query.limit,
      ) as OutboxRow[];
    return rows.map(toDelivery);
  }

  pruneDeliveries(before: number): Promise<number> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare(`DELETE FROM webhook_outbox WHERE state <> 'pending' AND last_attempt_at < ?`)
        .run(before);
      this.#db
        .prepare(`DELETE FROM webhook_callbacks WHERE NOT EXISTS
          (SELECT 1 FROM operations WHERE id = webhook_callbacks.operation_id)`)
        .run();
      return changes;
    });
  }

  #stopPending(subscriptionId: string, reason: string): void {
    this.#db
      .prepare(`UPDATE webhook_outbox SET state = 'gone', last_error = ?
        WHERE subscription_id = ? AND state = 'pending'`)
      .run(reason, subscriptionId);
  }
}
