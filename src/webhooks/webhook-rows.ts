import type { OperationStatus } from '../protocol/operation-state.js';
import type {
  WebhookDelivery,
  WebhookDeliveryState,
  WebhookEventType,
  WebhookSubscription,
} from '../store/store.js';

/** A row of `webhook_outbox` (migration 0004), as either driver returns it. */
export interface OutboxRow {
  id: string;
  tenant: string;
  operation_id: string;
  subscription_id: string | null;
  url: string;
  method: string;
  secret: string;
  root: string;
  type: string;
  kind: string;
  op_status: string;
  percent: number | null;
  occurred_at: number | string;
  state: string;
  attempts: number;
  next_attempt_at: number | string;
  last_attempt_at: number | string | null;
  last_http_status: number | null;
  last_error: string | null;
}

export interface SubscriptionRow {
  id: string;
  tenant: string;
  url: string;
  types: string;
  root: string;
  created_at: number | string;
  disabled_at: number | string | null;
}

const optional = <T>(value: T | null): T | undefined => value ?? undefined;
const time = (value: number | string | null) => (value === null ? undefined : Number(value));

export function toDelivery(row: OutboxRow): WebhookDelivery {
  return {
    id: row.id,
    tenant: row.tenant,
    operationId: row.operation_id,
    subscriptionId: optional(row.subscription_id),
    url: row.url,
    method: row.method === 'GET' ? 'GET' : 'POST',
    secret: row.secret,
    root: row.root,
    type: row.type as WebhookEventType,
    kind: row.kind,
    status: row.op_status as OperationStatus,
    percentComplete: optional(row.percent),
    occurredAt: Number(row.occurred_at),
    state: row.state as WebhookDeliveryState,
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    lastAttemptAt: time(row.last_attempt_at),
    lastHttpStatus: optional(row.last_http_status),
    lastError: optional(row.last_error),
  };
}

export function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    tenant: row.tenant,
    url: row.url,
    types: row.types.split(',').filter(Boolean) as WebhookEventType[],
    root: row.root,
    createdAt: Number(row.created_at),
    disabledAt: time(row.disabled_at),
  };
}

/** Types as stored: comma-wrapped, so `,operation.failed,` is found by a substring search. */
export const storedTypes = (types: readonly string[]) => `,${types.join(',')},`;
