import { type ProblemCode, ProblemError } from '../protocol/problem.js';
import { StoreUnavailableError } from '../store/store-unavailable.js';
import { webhookRoute } from '../webhooks/webhook-routes.js';
import { type AppRoute, isStartRoute } from './app-routes.js';
import { anonymous, type Caller } from './auth.js';
import { type HandlerContext, type RequestScope, requestOrigin } from './handler-context.js';
import { RequestUrl } from './request-url.js';
import {
  ANSWER_NOW,
  type Answer,
  type CoreHandler,
  type FetchHandler,
  problem,
} from './respond.js';
import { compilePath, matchOperationPath, matchPath, type OperationAction } from './router.js';
import { cancelOperation } from './routes/cancel-operation.js';
import { deleteOperation } from './routes/delete-operation.js';
import { getOperation } from './routes/get-operation.js';
import { getResult } from './routes/get-result.js';
import { getStats } from './routes/get-stats.js';
import { listOperations } from './routes/list-operations.js';
import { operationEvents } from './routes/operation-events.js';
import { isODataClient } from './routes/result-response.js';
import { startOperation } from './routes/start-operation.js';
import { tenantEvents } from './routes/tenant-events.js';
import { waitOperation } from './routes/wait-operation.js';
import { hubOf } from './sse/stream-response.js';
import { corsPreflight, withCors } from './ui/cors.js';
import { createUiRoutes } from './ui/ui-routes.js';

/** Optional parts of the handler. */
export interface HandlerOptions {
  /** Serve the dashboard and the `<longrun-progress>` widget under `R/ui/`. Default false. */
  ui?: boolean;
  /** CORS for browsers on other origins (PROTOCOL.md section 9). Default true. */
  cors?: boolean;
}

/** Seconds a client waits before retrying while the database is unavailable. */
const UNAVAILABLE_RETRY_S = 1;

type Route = (context: HandlerContext, scope: RequestScope, id: string) => Answer;

/** Which method each built-in URL answers. DELETE on the result monitor is OData's cancel. */
const OPERATION_ROUTES: Record<OperationAction, Partial<Record<string, Route>>> = {
  list: { GET: (context, scope) => listOperations(context, scope) },
  get: { GET: getOperation, DELETE: deleteOperation },
  result: { GET: getResult },
  cancel: { POST: cancelOperation },
  wait: { POST: waitOperation },
  events: { GET: operationEvents },
  feed: { GET: (context, scope) => tenantEvents(context, scope) },
  stats: { GET: (context, scope) => getStats(context, scope) },
};

function notFound(path: string): ProblemError {
  return new ProblemError(
    'NotFound',
    `Nothing is served at ${path}. Check the URL and the mount path.`,
  );
}

function methodNotAllowed(method: string, path: string, allowed: string[]): ProblemError {
  return new ProblemError(
    'MethodNotAllowed',
    `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`,
    { headers: { allow: allowed.join(', ') } },
  );
}

/** A class, not an object literal with a getter: that made every request allocate its accessor. */
class Scope implements RequestScope {
  readonly request: Request;
  readonly tenant: string;
  readonly root: string;
  readonly #url: RequestUrl;

  constructor(request: Request, url: RequestUrl, tenant: string, root: string) {
    this.request = request;
    this.#url = url;
    this.tenant = tenant;
    this.root = root;
  }

  get url(): URL {
    return this.#url.url;
  }

  get pathname(): string {
    return this.#url.pathname;
  }
}

/**
 * Creates the core handler: `(Request) => Promise<Response>`, the protocol of PROTOCOL.md over the
 * given store, for the app's routes plus the built-in operation URLs under `basePath`.
 */
export function createHandler(
  context: HandlerContext,
  appRoutes: readonly AppRoute[],
  options: HandlerOptions = {},
): FetchHandler {
  const cors = options.cors !== false;
  // Static pages and scripts: served before authentication (they hold no data; their calls carry the key).
  const ui = options.ui
    ? createUiRoutes(context.basePath, appRoutes, context.authenticate !== anonymous)
    : undefined;
  const compiled = appRoutes.map((route) => ({ route, pattern: compilePath(route.path) }));
  // Made now so that a bad eventStreams setting fails here, not at the first stream.
  hubOf(context);

  function route(request: Request, url: RequestUrl, path: string): Answer {
    const early = (cors ? corsPreflight(request) : undefined) ?? ui?.(request, path);
    if (early) return early;
    // Not awaited when the authenticator answers at once (the anonymous one): no turn lost.
    const caller = context.authenticate(request);
    if ('then' in caller) return caller.then((known) => routeFor(known, request, url, path));
    return routeFor(caller, request, url, path);
  }

  function routeFor(caller: Caller, request: Request, url: RequestUrl, path: string): Answer {
    const origin = requestOrigin(context, request, url.origin);
    const scope = new Scope(request, url, caller.tenant, origin + context.basePath);
    // HEAD is answered as GET; the adapters send no body for it.
    const method = request.method === 'HEAD' ? 'GET' : request.method;

    const hooks = webhookRoute(context, scope, method, path);
    if (hooks) return hooks;
    const builtIn = matchOperationPath(path);
    if (builtIn) {
      let handle = OPERATION_ROUTES[builtIn.action][method];
      if (!handle && builtIn.action === 'result' && method === 'DELETE' && isODataClient(request)) {
        handle = cancelOperation;
      }
      if (!handle)
        throw methodNotAllowed(method, path, Object.keys(OPERATION_ROUTES[builtIn.action]));
      return handle(context, scope, builtIn.id);
    }
    const allowed: string[] = [];
    for (const { route: appRoute, pattern } of compiled) {
      const params = matchPath(pattern, path);
      if (!params) continue;
      if (appRoute.method !== method) {
        allowed.push(appRoute.method);
        continue;
      }
      if (isStartRoute(appRoute)) return startOperation(context, scope, appRoute, params);
      return appRoute.handle({ request, params, tenant: caller.tenant, store: context.store });
    }
    throw allowed.length > 0 ? methodNotAllowed(method, path, allowed) : notFound(path);
  }

  /** What a request that failed is answered: its problem, or a 503 or 500 that reveals nothing. */
  function failure(request: Request, url: RequestUrl, error: unknown): Response {
    const accept = request.headers.get('accept');
    if (error instanceof ProblemError) {
      return problem(error.status, error.toErrorBody(), { accept, headers: error.headers });
    }
    context.events.emit({
      type: 'http:error',
      method: request.method,
      path: url.pathname,
      error,
    });
    if (error instanceof StoreUnavailableError) {
      // Temporary, and nothing was decided: clients retry a 503 after Retry-After on their own.
      const message =
        'The database is unavailable just now; the request changed nothing. Try again.';
      const body = { code: 'Unavailable', message, status: 'UNAVAILABLE' } as const;
      return problem(503, body, {
        accept,
        headers: { 'retry-after': String(UNAVAILABLE_RETRY_S) },
      });
    }
    const code: ProblemCode = 'Internal';
    const message = 'The server failed to answer this request; try again.';
    return problem(500, { code, message, status: 'INTERNAL' }, { accept });
  }

  // A Response when it is ready at once (no I/O was needed: a poll answered from the store's
  // memory), else a promise of it; failures of either kind become their problem answer.
  const answer = (request: Request): Answer => {
    const url = new RequestUrl(request.url);
    try {
      const base = context.basePath;
      if (base && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) {
        throw notFound(url.pathname);
      }
      const answered = route(request, url, url.pathname.slice(base.length) || '/');
      // Any thenable (an app's route may come from another promise library) becomes a native promise.
      return answered instanceof Response
        ? answered
        : Promise.resolve(answered).catch((error: unknown) => failure(request, url, error));
    } catch (error) {
      return failure(request, url, error);
    }
  };
  const answerNow = cors
    ? (request: Request): Answer => {
        const answered = answer(request);
        if (!request.headers.has('origin')) return answered;
        return answered instanceof Promise
          ? answered.then((response) => withCors(request, response))
          : withCors(request, answered);
      }
    : answer;
  const handler: CoreHandler = (request) => {
    try {
      return Promise.resolve(answerNow(request));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  handler[ANSWER_NOW] = answerNow;
  return handler;
}
