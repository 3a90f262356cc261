import { newOperation } from '../../operations/new-operation.js';
import { isTerminal } from '../../protocol/operation-state.js';
import { parsePrefer } from '../../protocol/prefer.js';
import { ProblemError } from '../../protocol/problem.js';
import { requestedCallbacks } from '../../webhooks/webhook-targets.js';
import { defaultInput, type InputSource, type StartRoute } from '../app-routes.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { idempotencyKeyOf, requestFingerprint } from '../idempotency.js';
import { acceptedResponse } from '../operation-headers.js';
import { parseJsonBody, readBodyText } from '../read-body.js';
import { waitForOperation } from '../wait-for-change.js';
import { resultResponse } from './result-response.js';

/** The query is parsed only for an input function that reads it (the default one does not). */
class StartInputSource implements InputSource {
  readonly body: unknown;
  readonly params: Record<string, string>;
  readonly #scope: RequestScope;

  constructor(body: unknown, params: Record<string, string>, scope: RequestScope) {
    this.body = body;
    this.params = params;
    this.#scope = scope;
  }

  get query(): URLSearchParams {
    return this.#scope.url.searchParams;
  }
}

/** Idempotency keys live at least a day, and never shorter than their operation. */
const MIN_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * An app route that starts an operation: validate, commit durably (with the idempotency key in the same
 * transaction), then answer 202 with the monitor headers; or, with `Prefer: wait=N`, the final answer
 * if the operation ends within N seconds.
 */
export async function startOperation(
  context: HandlerContext,
  scope: RequestScope,
  route: StartRoute,
  params: Record<string, string>,
): Promise<Response> {
  const { request } = scope;
  const text = await readBodyText(request, context.maxBodyBytes);
  const body = parseJsonBody(text, request.headers.get('content-type'));
  const definition = route.operation;
  const rawInput = (route.input ?? defaultInput)(new StartInputSource(body, params, scope));
  const key = idempotencyKeyOf(request, body);
  const path = scope.pathname;
  const operation = await newOperation(definition, rawInput, {
    tenant: scope.tenant,
    method: route.method,
    ...(key === undefined
      ? {}
      : {
          idempotency: {
            scope: `${route.method} ${path}`,
            key,
            fingerprint: requestFingerprint(route.method, path, text),
            expiresAt: Date.now() + Math.max(MIN_KEY_LIFETIME_MS, context.retentionMs * 2),
          },
        }),
  });
  const callbacks = await requestedCallbacks(request, context.webhooks);
  const created = await context.store.create(operation);
  if (created.outcome === 'key-reused') {
    throw new ProblemError(
      'IdempotencyKeyReused',
      `Idempotency key "${key}" was already used for a different request to ${route.method} ${path}. Use a new key for a new request.`,
    );
  }
  for (const callback of callbacks) {
    const { id, tenant } = created.operation;
    await context.store.webhooks.addCallback({
      ...callback,
      operationId: id,
      tenant,
      root: scope.root,
    });
  }
  const extra: Record<string, string> = {};
  if (created.outcome === 'replayed') extra['idempotent-replayed'] = 'true';
  else {
    const { id, tenant } = created.operation;
    context.events.emit({ type: 'operation:created', id, kind: definition.kind, tenant });
  }

  const prefer = parsePrefer(request.headers.get('prefer'), context.maxWaitSeconds);
  if (prefer.wait !== undefined && prefer.wait > 0) {
    const lookup = await waitForOperation(
      context.store,
      scope.tenant,
      created.operation.id,
      (operation) => isTerminal(operation.status),
      { timeoutMs: prefer.wait * 1000, signal: request.signal },
    );
    const latest = lookup.outcome === 'found' ? lookup.operation : created.operation;
    if (isTerminal(latest.status)) {
      const self = `${scope.root}/operations/${latest.id}`;
      return resultResponse(scope, latest, {
        ...extra,
        'preference-applied': `wait=${prefer.wait}`,
        'content-location': `${self}/result`,
        link: `<${self}>; rel="monitor"`,
      });
    }
    return acceptedResponse(scope, latest, extra);
  }
  if (prefer.respondAsync) extra['preference-applied'] = 'respond-async';
  if (callbacks.some((callback) => callback.method === 'GET')) {
    const applied = extra['preference-applied'];
    extra['preference-applied'] = applied ? `${applied}, callback` : 'callback';
  }
  return acceptedResponse(scope, created.operation, extra);
}
