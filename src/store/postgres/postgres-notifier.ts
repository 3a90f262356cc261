import type { Client, ClientConfig, Notification } from 'pg';
import type { ChangeSignal } from '../store.js';
import { quoteIdent, type SignalChannel } from './postgres-config.js';
import type { PgModule } from './postgres-connection.js';

export interface NotifierOptions {
  pg: PgModule;
  clientConfig: ClientConfig;
  channels: Record<SignalChannel, string>;
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
 * stop listening when returned, and a long-lived one would pin a pool slot). It listens only on the
 * channels asked for (`listen`), from then on: a process with no worker and no open stream hears
 * nothing, a worker hears only the `work` channel. Turns NOTIFY payloads
 * `{"o": origin, "s": [[kind, id, tenant, operationKind?], ...]}` into change signals. When the
 * connection drops (server restart, terminated backend, network) it reconnects with exponential
 * back-off and jitter.
 * After a LISTEN starts (the first time, or again after a reconnect) it emits a synthetic `created`
 * signal (id and tenant empty), so listeners look at once for whatever changed before it listened.
 * Signals only mean "look again"; polling covers a lost one.
 */
export class PostgresNotifier {
  readonly #options: NotifierOptions;
  /** The connection being made or in use; a drop of any other (an old one) is ignored. */
  #client: Client | undefined;
  /** Whether #client is connected; channels asked for before then are listened to by #connect. */
  #connected = false;
  readonly #wanted = new Set<SignalChannel>();
  /** Channels #client was asked to listen on, and those it listens on already. */
  readonly #listening = new Set<SignalChannel>();
  readonly #active = new Set<SignalChannel>();
  /** Settles the first time each wanted channel is listened on. */
  readonly #firstListen = new Map<SignalChannel, { promise: Promise<void>; resolve: () => void }>();
  #closed = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Connects. A first connection that fails is retried in the background, not thrown. */
  start(): Promise<void> {
    return this.#connect();
  }

  /** Listens on `channel` from now on (and after every reconnect). */
  listen(channel: SignalChannel): void {
    if (this.#wanted.has(channel)) return;
    this.#wanted.add(channel);
    let resolve = () => {};
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    this.#firstListen.set(channel, { promise, resolve });
    if (this.#client && this.#connected) void this.#listenOn(this.#client, channel);
  }

  /** Resolves once every channel asked for so far has been listened on. */
  async listening(): Promise<void> {
    await Promise.all([...this.#firstListen.values()].map(({ promise }) => promise));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new this.#options.pg.Client({
      application_name: 'longrun-listen',
      // Found out when a silent network drops the connection, and never hang on connecting.
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      ...this.#options.clientConfig,
    });
    this.#client = client;
    this.#connected = false;
    this.#listening.clear();
    this.#active.clear();
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    client.on('notification', (message) => this.#deliver(message));
    try {
      await client.connect();
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#client !== client) return;
    this.#connected = true;
    this.#failures = 0;
    await Promise.all([...this.#wanted].map((channel) => this.#listenOn(client, channel)));
  }

  async #listenOn(client: Client, channel: SignalChannel): Promise<void> {
    if (this.#listening.has(channel)) return;
    this.#listening.add(channel);
    try {
      await client.query(`LISTEN ${quoteIdent(this.#options.channels[channel])}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#client !== client) return;
    this.#active.add(channel);
    this.#firstListen.get(channel)?.resolve();
    this.#options.onSignal({ id: '', tenant: '', kind: 'created' });
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
    this.#retryTimer = setTimeout(() => void this.#connect(), delay * (0.5 + Math.random() / 2));
  }

  #deliver(message: Notification): void {
    let payload: { o?: unknown; s?: unknown };
    try {
      payload = JSON.parse(message.payload ?? '');
    } catch {
      return;
    }
    if (payload.o === this.#options.origin || !Array.isArray(payload.s)) return;
    // The watch channel repeats everything the work channel carries: hear it once.
    const { work } = this.#options.channels;
    if (message.channel === work && this.#active.has('watch')) return;
    for (const entry of payload.s) {
      if (!Array.isArray(entry)) continue;
      const [kind, id, tenant, operationKind] = entry;
      if (typeof kind !== 'string' || !KINDS.has(kind) || typeof id !== 'string') continue;
      const signal = { id, tenant: typeof tenant === 'string' ? tenant : '', kind } as ChangeSignal;
      if (typeof operationKind === 'string') signal.operationKind = operationKind;
      this.#options.onSignal(signal);
    }
  }
}
