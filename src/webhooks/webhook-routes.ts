import type { HandlerContext, RequestScope } from '../http/handler-context.js';
import { parseJsonBody, readBodyText } from '../http/read-body.js';
import { json } from '../http/respond.js';
import { findOperation } from '../http/routes/lookup.js';
import { ProblemError } from '../protocol/problem.js';
import type { WebhookDelivery, WebhookEventType, WebhookSubscription } from '../store/store.js';
import { newWebhookSecret, type WebhookSettings } from './webhook-settings.js';
import { acceptTarget } from './webhook-targets.js';

const EVENT_TYPES: readonly WebhookEventType[] = [
  'operation.succeeded',
  'operation.failed',
  'operation.canceled',
  'operation.progress',
];
const DEFAULT_TYPES = EVENT_TYPES.slice(0, 3);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function subscriptionBody(subscription: WebhookSubscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    types: subscription.types,
    createdDateTime: iso(subscription.createdAt),
    disabled: subscription.disabledAt !== undefined,
    disabledDateTime: iso(subscription.disabledAt),
  };
}

function deliveryBody(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    operationId: delivery.operationId,
    subscriptionId: delivery.subscriptionId,
    type: delivery.type,
    url: delivery.url,
    method: delivery.method,
    state: delivery.state,
    attempts: delivery.attempts,
    createdDateTime: iso(delivery.occurredAt),
    nextAttemptDateTime: delivery.state === 'pending' ? iso(delivery.nextAttemptAt) : undefined,
    lastAttemptDateTime: iso(delivery.lastAttemptAt),
    lastHttpStatus: delivery.lastHttpStatus,
    lastError: delivery.lastError,
  };
}

function parseTypes(value: unknown): WebhookEventType[] {
  if (value === undefined) return [...DEFAULT_TYPES];
  if (!Array.isArray(value) || value.length === 0) {
    throw new ProblemError('InvalidArgument', `types must be a non-empty array of event types.`, {
      target: 'types',
    });
  }
  for (const type of value) {
    if (!EVENT_TYPES.includes(type)) {
      throw new ProblemError(
        'InvalidArgument',
        `Unknown webhook event type ${JSON.stringify(type)}; use ${EVENT_TYPES.join(', ')}.`,
        { target: 'types' },
      );
    }
  }
  return [...new Set(value as WebhookEventType[])];
}

async function createSubscription(
  context: HandlerContext,
  scope: RequestScope,
  settings: WebhookSettings,
) {
  const text = await readBodyText(scope.request, context.maxBodyBytes);
  const body = parseJsonBody(text, scope.request.headers.get('content-type')) as
    | { url?: unknown; types?: unknown }
    | undefined;
  if (typeof body?.url !== 'string') {
    throw new ProblemError('InvalidArgument', 'The body needs a "url" (string).', {
      target: 'url',
    });
  }
  const url = await acceptTarget(body.url, settings, 'url');
  const types = parseTypes(body.types);
  const secret = newWebhookSecret();
  const subscription = await context.store.webhooks.addSubscription({
    tenant: scope.tenant,
    url,
    types,
    secret,
    root: scope.root,
  });
  // The secret is shown once, here.
  return json({ ...subscriptionBody(subscription), secret }, 201, {
    location: `${scope.root}/webhooks/subscriptions/${subscription.id}`,
  });
}

function limitOf(scope: RequestScope): number {
  const raw = Number(scope.url.searchParams.get('limit') ?? 100);
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, 1000) : 100;
}

async function deliveries(context: HandlerContext, scope: RequestScope, operationId?: string) {
  const value = await context.store.webhooks.listDeliveries(scope.tenant, {
    operationId,
    limit: limitOf(scope),
  });
  return json({ value: value.map(deliveryBody) });
}

const WEBHOOK_PATH =
  /^\/(?:webhooks\/(subscriptions|deliveries)(?:\/([^/]+))?|operations\/([^/:]+)\/webhooks)\/?$/;

/**
 * The webhook URLs, or undefined when `path` is none of them: `/webhooks/subscriptions` (POST, GET),
 * `/webhooks/subscriptions/{id}` (GET, DELETE), `/webhooks/deliveries` (GET, `?operationId=`) and
 * `/operations/{id}/webhooks` (GET). Everything is the caller's tenant's only. Undefined is answered
 * at once, so every other request passes by without waiting a turn.
 */
export function webhookRoute(
  context: HandlerContext,
  scope: RequestScope,
  method: string,
  path: string,
): Promise<Response> | undefined {
  // Every request passes here: most leave after this one substring search.
  const match = path.includes('/webhooks') ? WEBHOOK_PATH.exec(path) : null;
  return match ? answerWebhookRoute(context, scope, method, path, match) : undefined;
}

async function answerWebhookRoute(
  context: HandlerContext,
  scope: RequestScope,
  method: string,
  path: string,
  match: RegExpExecArray,
): Promise<Response> {
  const settings = context.webhooks;
  if (!settings) throw new ProblemError('NotFound', `This server sends no webhooks (${path}).`);
  const [, collection, id, operationId] = match;
  const allow = (allowed: string[]) =>
    new ProblemError('MethodNotAllowed', `${method} is not allowed on ${path}.`, {
      headers: { allow: allowed.join(', ') },
    });
  if (operationId !== undefined) {
    if (method !== 'GET') throw allow(['GET']);
    await findOperation(context, scope, decodeURIComponent(operationId));
    return deliveries(context, scope, decodeURIComponent(operationId));
  }
  if (collection === 'deliveries' && id === undefined) {
    if (method !== 'GET') throw allow(['GET']);
    return deliveries(context, scope, scope.url.searchParams.get('operationId') ?? undefined);
  }
  if (collection === 'subscriptions' && id === undefined) {
    if (method === 'POST') return createSubscription(context, scope, settings);
    if (method !== 'GET') throw allow(['GET', 'POST']);
    const all = await context.store.webhooks.listSubscriptions(scope.tenant);
    return json({ value: all.map(subscriptionBody) });
  }
  if (collection === 'subscriptions' && id !== undefined) {
    const subscriptionId = decodeURIComponent(id);
    const missing = new ProblemError(
      'NotFound',
      `There is no webhook subscription ${subscriptionId}.`,
    );
    if (method === 'DELETE') {
      if (!(await context.store.webhooks.deleteSubscription(scope.tenant, subscriptionId)))
        throw missing;
      return json({}, 200);
    }
    if (method !== 'GET') throw allow(['GET', 'DELETE']);
    const all = await context.store.webhooks.listSubscriptions(scope.tenant);
    const found = all.find((subscription) => subscription.id === subscriptionId);
    if (!found) throw missing;
    return json(subscriptionBody(found));
  }
  throw new ProblemError('NotFound', `Nothing is served at ${path}.`);
}
