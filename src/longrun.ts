import { EventHub, type LongrunEventListener } from './events.js';
import type { AppRoute } from './http/app-routes.js';
import { type Authenticator, anonymous, apiKeyAuthenticator } from './http/auth.js';
import { createHandler } from './http/handler.js';
import type { FetchHandler } from './http/respond.js';
import type { AnyOperation } from './operations/define-operation.js';
import { newOperation } from './operations/new-operation.js';
import { OperationRegistry } from './operations/registry.js';
import type { OperationRecord, Store } from './store/store.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { type WebhookOptions, webhookSettings } from './webhooks/webhook-settings.js';
import { Maintenance } from './worker/maintenance.js';
import { Worker } from './worker/worker.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LongrunOptions {
  store: Store;
  /** Operation definitions this process can run (and start from its routes). */
  operations?: readonly AnyOperation[];
  /** The app's routes: those that start operations, and any others (e.g. created resources). */
  routes?: readonly AppRoute[];
  /** Mount root, e.g. `/v1`. Default: none. */
  basePath?: string;
  /** Origin of every URL the server emits, e.g. `https://api.example.com`. Default: the request's. */
  publicOrigin?: string;
  /** Believe `X-Forwarded-Proto`/`X-Forwarded-Host` (only behind a proxy that sets them). */
  trustProxy?: boolean;
  /** Decides the caller's tenant. Default: `apiKeys` if given, else one anonymous tenant. */
  authenticate?: Authenticator;
  /** API key -> tenant. */
  apiKeys?: Readonly<Record<string, string>>;
  /** How long finished operations stay readable (default 7 days), then answer 410 (another 7 days). */
  retention?: { completedMs?: number; tombstoneMs?: number };
  limits?: { maxBodyBytes?: number; maxWaitSeconds?: number };
  /** Server-Sent Events (`/events`): keep-alive comment interval, default 15 s. */
  eventStreams?: { keepAliveMs?: number };
  /** Webhooks (subscriptions, callbacks, outbox dispatcher); `false` turns them off. */
  webhooks?: false | WebhookOptions;
  /** In-process worker settings, or `false` for an API node that runs nothing itself. */
  worker?: false | { concurrency?: number; leaseMs?: number; pollMs?: number; workerId?: string };
  onEvent?: LongrunEventListener;
  /**
   * Serve the dashboard (operation list, operation pages, stats, start buttons) and the
   * `<longrun-progress>` widget under `R/ui/`. Default false: opt in for production.
   */
  ui?: boolean;
  /** CORS headers for browser clients on other origins (PROTOCOL.md section 9). Default true. */
  cors?: boolean;
  /** Apply pending store migrations in start(). Default true; turn off to run `longrun migrate` apart. */
  migrate?: boolean;
}

export interface Longrun {
  readonly handler: FetchHandler;
  readonly events: EventHub;
  readonly store: Store;
  /** Migrates the store, recovers what a crash left behind, starts the worker. */
  start(): Promise<void>;
  /** Graceful stop: no new work; running operations get `graceMs`, then are aborted and released. */
  stop(graceMs?: number): Promise<void>;
  /** Starts an operation without HTTP. Validates the input like a start route does. */
  submit(
    operation: AnyOperation,
    input: unknown,
    options?: { tenant?: string },
  ): Promise<OperationRecord>;
}

function normaliseBasePath(basePath = ''): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed && !trimmed.startsWith('/')) return `/${trimmed}`;
  return trimmed;
}

/** Wires a store, operation definitions, the HTTP core and an in-process worker into one unit. */
export function createLongrun(options: LongrunOptions): Longrun {
  const events = new EventHub();
  if (options.onEvent) events.on(options.onEvent);
  const registry = new OperationRegistry(options.operations);
  for (const route of options.routes ?? []) if ('operation' in route) registry.add(route.operation);
  const retentionMs = options.retention?.completedMs ?? 7 * DAY_MS;
  const tombstoneMs = options.retention?.tombstoneMs ?? 7 * DAY_MS;
  const leaseMs = (options.worker || undefined)?.leaseMs ?? 15_000;
  const store = options.store;
  const webhooks = options.webhooks === false ? undefined : webhookSettings(options.webhooks);

  const handler = createHandler(
    {
      store,
      operations: registry,
      events,
      authenticate:
        options.authenticate ??
        (options.apiKeys ? apiKeyAuthenticator(options.apiKeys) : anonymous),
      basePath: normaliseBasePath(options.basePath),
      publicOrigin: options.publicOrigin?.replace(/\/+$/, ''),
      trustProxy: options.trustProxy ?? false,
      retentionMs,
      maxBodyBytes: options.limits?.maxBodyBytes ?? 1024 * 1024,
      maxWaitSeconds: options.limits?.maxWaitSeconds ?? 60,
      eventStreams: options.eventStreams,
      webhooks,
    },
    options.routes ?? [],
    { ui: options.ui ?? false, cors: options.cors ?? true },
  );
  const worker =
    options.worker === false
      ? undefined
      : new Worker({
          store,
          operations: registry,
          events,
          retentionMs,
          ...options.worker,
          leaseMs,
        });
  const maintenance = new Maintenance({
    store,
    events,
    retentionMs,
    tombstoneMs,
    // At least twice a second whatever the lease: a dead worker's operations run again within lease + 1 s.
    recoveryIntervalMs: Math.min(500, Math.max(100, leaseMs / 2)),
  });

  const dispatcher =
    webhooks?.dispatch === true
      ? new WebhookDispatcher(store, webhooks, (error) =>
          events.emit({ type: 'worker:error', message: 'Webhook delivery failed', error }),
        )
      : undefined;

  return {
    handler,
    events,
    store,
    async start() {
      if (options.migrate !== false) await store.migrate();
      await maintenance.start();
      worker?.start();
      dispatcher?.start();
    },
    async stop(graceMs = 10_000) {
      await worker?.stop(graceMs);
      maintenance.stop();
      await dispatcher?.stop();
      await store.close();
    },
    async submit(operation, input, submitOptions = {}) {
      registry.add(operation);
      const record = await newOperation(operation, input, {
        tenant: submitOptions.tenant ?? 'anonymous',
        method: 'POST',
      });
      const created = await store.create(record);
      if (created.outcome === 'key-reused') throw new Error('unreachable: submit uses no key');
      return created.operation;
    },
  };
}
