import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
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

/** Runs a call on the PostgresStore's pool (opened on first use, awaited by close()). */
export type PostgresCall = <T>(run: (pool: Pool) => Promise<T>) => Promise<T>;

const TERMINAL = "('Succeeded', 'Failed', 'Canceled')";

/** WebhookStore over the PostgresStore's pool (tables and trigger of migration 0004). */
export class PostgresWebhookStore implements WebhookStore {
  readonly #call: PostgresCall;
  readonly #s: string;

  /** `schema` is the quoted schema name. */
  constructor(call: PostgresCall, schema: string) {
    this.#call = call;
    this.#s = schema;
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
    return this.#call(async (pool) => {
      await pool.query(
        `INSERT INTO ${this.#s}.webhook_subscriptions (id, tenant, url, types, secret, root,
          created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, row.tenant, row.url, row.types, input.secret, row.root, row.created_at],
      );
      return toSubscription(row);
    });
  }

  listSubscriptions(tenant: string): Promise<WebhookSubscription[]> {
    return this.#call(async (pool) => {
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT * FROM ${this.#s}.webhook_subscriptions WHERE tenant = $1 ORDER BY created_at, id`,
        [tenant],
      );
      return rows.map(toSubscription);
    });
  }

  deleteSubscription(tenant: string, id: string): Promise<boolean> {
    return this.#call(async (pool) => {
      const { rows } = await pool.query<{ deleted: number }>(
        `WITH gone AS (DELETE FROM ${this.#s}.webhook_subscriptions WHERE id = $1 AND tenant = $2
            RETURNING id),
          stopped AS (UPDATE ${this.#s}.webhook_outbox SET state = 'gone',
            last_error = 'The subscription was deleted.'
            WHERE subscription_id IN (SELECT id FROM gone) AND state = 'pending')
        SELECT count(*)::int AS deleted FROM gone`,
        [id, tenant],
      );
      return (rows[0]?.deleted ?? 0) > 0;
    });
  }

  addCallback(callback: WebhookCallback): Promise<void> {
    const { operationId, method, tenant, url, secret, root } = callback;
    return this.#call(async (pool) => {
      // One statement: the callback, and its delivery when the operation has already ended.
      await pool.query(
        `WITH saved AS (INSERT INTO ${this.#s}.webhook_callbacks (operation_id, method, tenant, url,
            secret, root) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (operation_id, method) DO UPDATE SET url = EXCLUDED.url,
              secret = EXCLUDED.secret, root = EXCLUDED.root)
        INSERT INTO ${this.#s}.webhook_outbox (id, tenant, operation_id, url, method, secret, root,
          type, kind, op_status, percent, occurred_at, next_attempt_at)
        SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), tenant, id, $4, $2, $5, $6,
          'operation.' || lower(status), kind, status, percent, updated_at, updated_at
        FROM ${this.#s}.operations WHERE id = $1 AND tenant = $3 AND status IN ${TERMINAL}
          AND NOT EXISTS (SELECT 1 FROM ${this.#s}.webhook_outbox WHERE operation_id = $1
            AND url = $4 AND method = $2 AND subscription_id IS NULL)`,
        [operationId, method, tenant, url, secret, root],
      );
    });
  }

  claimDue(now: number, limit: number, holdMs: number): Promise<WebhookDelivery[]> {
    return this.#call(async (pool) => {
      // SKIP LOCKED: dispatchers on other nodes take other rows, then the hold keeps them apart.
      const { rows } = await pool.query<OutboxRow>(
        `UPDATE ${this.#s}.webhook_outbox SET next_attempt_at = $1 WHERE id IN (SELECT id FROM
            ${this.#s}.webhook_outbox WHERE state = 'pending' AND next_attempt_at <= $2
            ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING *`,
        [now + holdMs, now, limit],
      );
      return rows.map(toDelivery);
    });
  }

  recordAttempt(attempt: WebhookAttempt): Promise<void> {
    return this.#call(async (pool) => {
      await pool.query(
        `WITH attempt AS (UPDATE ${this.#s}.webhook_outbox SET state = $1, attempts = attempts + 1,
            next_attempt_at = $2, last_attempt_at = $3, last_http_status = $4, last_error = $5
            WHERE id = $6 RETURNING subscription_id),
          disabled AS (UPDATE ${this.#s}.webhook_subscriptions SET disabled_at = $3
            WHERE $1 = 'gone' AND id IN (SELECT subscription_id FROM attempt) RETURNING id)
        UPDATE ${this.#s}.webhook_outbox SET state = 'gone',
          last_error = 'The receiver answered 410 Gone.'
        WHERE subscription_id IN (SELECT id FROM disabled) AND state = 'pending' AND id <> $6`,
        [
          attempt.state,
          attempt.nextAttemptAt,
          attempt.at,
          attempt.httpStatus ?? null,
          attempt.error ?? null,
          attempt.id,
        ],
      );
    });
  }

  listDeliveries(
    tenant: string,
    query: { operationId?: string | undefined; limit: number },
  ): Promise<WebhookDelivery[]> {
    return this.#call(async (pool) => {
      const { rows } = await pool.query<OutboxRow>(
        `SELECT * FROM ${this.#s}.webhook_outbox WHERE tenant = $1
          AND ($2::text IS NULL OR operation_id = $2) ORDER BY occurred_at DESC, id LIMIT $3`,
        [tenant, query.operationId ?? null, query.limit],
      );
      return rows.map(toDelivery);
    });
  }

  pruneDeliveries(before: number): Promise<number> {
    return this.#call(async (pool) => {
      const { rows } = await pool.query<{ pruned: number }>(
        `WITH pruned AS (DELETE FROM ${this.#s}.webhook_outbox
            WHERE state <> 'pending' AND last_attempt_at < $1 RETURNING 1),
          orphans AS (DELETE FROM ${this.#s}.webhook_callbacks AS c WHERE NOT EXISTS
            (SELECT 1 FROM ${this.#s}.operations WHERE id = c.operation_id))
        SELECT count(*)::int AS pruned FROM pruned`,
        [before],
      );
      return rows[0]?.pruned ?? 0;
    });
  }
}
