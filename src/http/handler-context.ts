import type { EventHub } from '../events.js';
import type { OperationRegistry } from '../operations/registry.js';
import type { Store } from '../store/store.js';
import type { WebhookSettings } from '../webhooks/webhook-settings.js';
import type { Authenticator } from './auth.js';

/** Everything routes share, fixed when the handler is created. */
export interface HandlerContext {
  store: Store;
  operations: OperationRegistry;
  events: EventHub;
  authenticate: Authenticator;
  /** Mount root path, normalised: '' or '/v1'. */
  basePath: string;
  /** Origin of every URL the server emits; else taken from the request (or trusted proxy headers). */
  publicOrigin: string | undefined;
  trustProxy: boolean;
  retentionMs: number;
  maxBodyBytes: number;
  maxWaitSeconds: number;
  /** Server-Sent Events: how often an open stream gets a keep-alive comment (default 15 s). */
  eventStreams?: { keepAliveMs?: number | undefined } | undefined;
  /** Webhooks (subscriptions, callbacks); undefined: none are offered. */
  webhooks?: WebhookSettings | undefined;
}

/** Per request: who calls, and the absolute mount root URLs are built from. */
export interface RequestScope {
  request: Request;
  /** The request URL, parsed (query parameters and all). */
  readonly url: URL;
  /** `url.pathname`, without parsing the whole URL for it. */
  readonly pathname: string;
  tenant: string;
  /** Absolute URL of the mount root, e.g. `https://api.example.com/v1`. */
  root: string;
}

/**
 * The origin the caller used: configured, or from `X-Forwarded-*` when proxies are trusted, else the
 * request URL's `origin`.
 */
export function requestOrigin(context: HandlerContext, request: Request, origin: string): string {
  if (context.publicOrigin) return context.publicOrigin;
  if (context.trustProxy) {
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (host) return `${proto ?? origin.slice(0, origin.indexOf(':'))}://${host}`;
  }
  return origin;
}
