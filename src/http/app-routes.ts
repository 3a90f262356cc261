import type { AnyOperation } from '../operations/define-operation.js';
import type { StartMethod, Store } from '../store/store.js';

/** What an app route that starts an operation turns a request into. */
export interface InputSource {
  body: unknown;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** A route of the app that starts an operation, e.g. `POST /reports`. */
export interface StartRoute {
  method: StartMethod;
  /** Path under the mount root with `:name` parameters, e.g. `/things/:id`. */
  path: string;
  operation: AnyOperation;
  /** Builds the operation's input; by default the JSON body, merged with the path parameters. */
  input?: (source: InputSource) => unknown;
}

export interface ResourceRouteContext {
  request: Request;
  params: Record<string, string>;
  tenant: string;
  store: Store;
}

/** Any other route of the app (e.g. `GET /reports/:id` serving a created resource). */
export interface ResourceRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handle: (context: ResourceRouteContext) => Promise<Response>;
}

export type AppRoute = StartRoute | ResourceRoute;

export function isStartRoute(route: AppRoute): route is StartRoute {
  return 'operation' in route;
}

/** Default input: the body, with path parameters added when the body is an object (or absent). */
export function defaultInput({ body, params }: InputSource): unknown {
  if (Object.keys(params).length === 0) return body;
  if (body === undefined) return { ...params };
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? { ...body, ...params }
    : body;
}
