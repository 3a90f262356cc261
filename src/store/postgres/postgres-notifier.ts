import type { Client, ClientConfig, Notification } from 'pg';
import type { ChangeSignal } from '../store.js';
import { quoteIdent } from './postgres-config.js';
import type { PgModule } from './postgres-connection.js';

export interface NotifierOptions {
  pg: PgModule;
  clientConfig: ClientConfig;
  channel: string;
  /** This store's own notifications: already delivered in-process, so skipped here. */
  origin: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  onSignal: (signal: ChangeSignal) => void;
  onError?: ((error: unknown) => void) | undefined;
}

const KINDS = new Set<string>(['created', 'updated', 'cancel-requested', 'finished']);

/**
 * The store's LISTEN connection: a dedicated pg.Client, never a pooled one (a pooled connection would
 * stop listening when returned, and a long-lived one would pin a pool slot). Turns NOTIFY payloads
 * `{"o": origin, "s": [[kind, id, tenant], ...]}` into change signals. When the connection drops
 * (server restart, terminated backend, network) it reconnects with exponential back-off and jitter,
 * then emits a synthetic `created` signal (id and tenant empty) so workers poll at once for whatever
 * was signalled while it was away. Signals only mean "look again"; polling covers a lost one.
 */
export class PostgresNotifier {
  readonly #options: NotifierOptions;
  /** The connection being made or in use; a drop of any other (an old one) is ignored. */
  #client: Client | undefined;
  #closed = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Connects and listens. A first connection that fails is retried in the background, not thrown. */
  start(): Promise<void> {
    return this.#connect(false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(reconnecting: boolean): Promise<void> {
    const client = new this.#options.pg.Client({
      application_name: 'longrun-listen',
      // Found out when a silent network drops the connection, and never hang on connecting.
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      ...this.#options.clientConfig,
    });
    this.#client = client;
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    client.on('notification', (message) => this.#deliver(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.#options.channel)}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#client !== client) return;
    this.#failures = 0;
    if (reconnecting) this.#options.onSignal({ id: '', tenant: '', kind: 'created' });
  }

  #lost(client: Client, error: unknown): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    if (this.#closed) return;
    if (error !== undefined) this.#options.onError?.(error);
    const delay = Math.min(
      this.#options.reconnectMaxMs,
      this.#options.reconnectMinMs * 2 ** this.#failures++,
    );
    // Jitter: nodes that lost the server together do not all come back in the same millisecond.
    this.#retryTimer = setTimeout(
      () => void this.#connect(true),
      delay * (0.5 + Math.random() / 2),
    );
  }

  #deliver(message: Notification): void {
    let payload: { o?: unknown; s?: unknown };
    try {
      payload = JSON.parse(message.payload ?? '');
    } catch {
      return;
    }
    if (payload.o === this.#options.origin || !Array.isArray(payload.s)) return;
    for (const entry of payload.s) {
      if (!Array.isArray(entry)) continue;
      const [kind, id, tenant] = entry;
      if (typeof kind !== 'string' || !KINDS.has(kind) || typeof id !== 'string') continue;
      const signal = { id, tenant: typeof tenant === 'string' ? tenant : '', kind };
      this.#options.onSignal(signal as ChangeSignal);
    }
  }
}
