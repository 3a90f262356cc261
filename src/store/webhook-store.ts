import type { OperationStatus } from '../protocol/operation-state.js';

/** Webhook event types (PROTOCOL.md section 7). */
export type WebhookEventType =
  | 'operation.succeeded'
  | 'operation.failed'
  | 'operation.canceled'
  | 'operation.progress';

/** A tenant's standing order: every operation event of `types` is POSTed to `url`. */
export interface WebhookSubscription {
  id: string;
  tenant: string;
  url: string;
  types: WebhookEventType[];
  /** Absolute mount root when it was made: payloads link to `${root}/operations/{id}`. */
  root: string;
  createdAt: number;
  /** Set when the receiver answered 410 Gone: nothing more is sent to it. */
  disabledAt: number | undefined;
}

export interface NewWebhookSubscription {
  tenant: string;
  url: string;
  types: readonly WebhookEventType[];
  /** Standard Webhooks signing secret (`whsec_...`). */
  secret: string;
  root: string;
}

/** One operation's own callback: POST (Callback-Url) or GET (OData `Prefer: callback`) at its end. */
export interface WebhookCallback {
  operationId: string;
  tenant: string;
  url: string;
  method: 'POST' | 'GET';
  secret: string;
  root: string;
}

/** pending: will be (re)tried; delivered: a 2xx; failed: retries exhausted; gone: 410 or removed. */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed' | 'gone';

/** One outbox entry: one event to one target, with the outcome of its attempts so far. */
export interface WebhookDelivery {
  /** The stable `webhook-id` of every attempt. */
  id: string;
  tenant: string;
  operationId: string;
  subscriptionId: string | undefined;
  url: string;
  method: 'POST' | 'GET';
  secret: string;
  root: string;
  type: WebhookEventType;
  kind: string;
  /** The operation's status and percentage when the event happened. */
  status: OperationStatus;
  percentComplete: number | undefined;
  occurredAt: number;
  state: WebhookDeliveryState;
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | undefined;
  lastHttpStatus: number | undefined;
  lastError: string | undefined;
}

/** What one attempt came to. `gone` on a subscription's delivery disables the subscription. */
export interface WebhookAttempt {
  id: string;
  at: number;
  state: WebhookDeliveryState;
  /** When `state` is pending: when to try again. */
  nextAttemptAt: number;
  httpStatus: number | undefined;
  error: string | undefined;
}

/**
 * Webhook persistence (migration 0004). Outbox entries are written by triggers in the same statement
 * as the change they announce: a terminal status (to the operation's callbacks and the tenant's
 * subscriptions of that type) or a new percentage while running (subscriptions of
 * `operation.progress`). A crash cannot lose one; the dispatcher sends each at least once.
 */
export interface WebhookStore {
  /** Makes a subscription; `id` is generated. */
  addSubscription(subscription: NewWebhookSubscription): Promise<WebhookSubscription>;
  listSubscriptions(tenant: string): Promise<WebhookSubscription[]>;
  /** False when it is not the tenant's. Its pending deliveries become `gone`. */
  deleteSubscription(tenant: string, id: string): Promise<boolean>;
  /** Registers a callback; when the operation has already ended, its delivery is queued at once. */
  addCallback(callback: WebhookCallback): Promise<void>;
  /** Pending deliveries due by `now`, held from other dispatchers for `holdMs`. */
  claimDue(now: number, limit: number, holdMs: number): Promise<WebhookDelivery[]>;
  recordAttempt(attempt: WebhookAttempt): Promise<void>;
  /** The tenant's delivery log, newest first, optionally of one operation. */
  listDeliveries(
    tenant: string,
    query: { operationId?: string | undefined; limit: number },
  ): Promise<WebhookDelivery[]>;
  /**
   * Forgets settled deliveries (not pending) last tried before `before`, and the callbacks of
   * operations that no longer exist. Returns how many deliveries went.
   */
  pruneDeliveries(before: number): Promise<number>;
}
