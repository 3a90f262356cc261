import { sseComment } from '../../protocol/server-sent-events.js';
import type { ChangeSignal, Store } from '../../store/store.js';

/** What the hub needs of an open stream. */
export interface HubMember {
  /** The operation it follows, or undefined for a tenant's feed (all its operations). */
  readonly operationId: string | undefined;
  readonly tenant: string;
  /** Something it follows may have changed: read the log again (never trust the signal's state). */
  wake(): void;
  /** Writes a keep-alive comment (skipped by a stream whose client is behind anyway). */
  keepAlive(text: string): void;
}

/** Every 15 s (PROTOCOL.md section 7): under the 30-60 s idle cut-off of common proxies. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

/**
 * The event streams of one handler: one store listener and one keep-alive timer for all of them,
 * held only while a stream is open, so the store's listener count and the process's timers go back
 * to what they were as soon as the last client leaves. A change signal wakes only the streams that
 * follow its operation or its tenant (a signal with no id or tenant, such as PostgreSQL's "reconnected,
 * look again", wakes all of them): O(1) per signal whatever the number of open streams.
 */
export class StreamHub {
  readonly #store: Store;
  readonly #keepAliveMs: number;
  readonly #members = new Set<HubMember>();
  readonly #byOperation = new Map<string, Set<HubMember>>();
  readonly #byTenant = new Map<string, Set<HubMember>>();
  #unsubscribe: (() => void) | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(store: Store, keepAliveMs = DEFAULT_KEEP_ALIVE_MS) {
    if (!Number.isFinite(keepAliveMs) || keepAliveMs <= 0) {
      throw new RangeError(
        `eventStreams.keepAliveMs must be a positive number, got ${keepAliveMs}.`,
      );
    }
    this.#store = store;
    this.#keepAliveMs = keepAliveMs;
  }

  /** Open streams (for tests and metrics). */
  get size(): number {
    return this.#members.size;
  }

  /** Adds a stream; returns the function that removes it (idempotent). */
  add(member: HubMember): () => void {
    this.#members.add(member);
    const index = member.operationId === undefined ? this.#byTenant : this.#byOperation;
    const key = member.operationId ?? member.tenant;
    const set = index.get(key) ?? new Set<HubMember>();
    index.set(key, set);
    set.add(member);
    if (this.#members.size === 1) this.#start();
    return () => {
      if (!this.#members.delete(member)) return;
      set.delete(member);
      if (set.size === 0) index.delete(key);
      if (this.#members.size === 0) this.#stop();
    };
  }

  #start(): void {
    this.#unsubscribe = this.#store.onChange((signal) => this.#route(signal));
    this.#ticker = setInterval(() => {
      const comment = sseComment('keep-alive');
      for (const member of this.#members) member.keepAlive(comment);
    }, this.#keepAliveMs);
    // Open streams keep the server busy anyway; the ticker alone never holds the process up.
    this.#ticker.unref();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #route(signal: ChangeSignal): void {
    if (signal.id === '') {
      for (const member of this.#members) member.wake();
      return;
    }
    for (const member of this.#byOperation.get(signal.id) ?? []) member.wake();
    if (signal.tenant === '') {
      for (const set of this.#byTenant.values()) for (const member of set) member.wake();
    } else {
      for (const member of this.#byTenant.get(signal.tenant) ?? []) member.wake();
    }
  }
}

const hubs = new WeakMap<object, StreamHub>();

/** The hub of a handler (keyed by its context object), made on first use. */
export function streamHubOf(owner: object, store: Store, keepAliveMs?: number): StreamHub {
  const hub = hubs.get(owner) ?? new StreamHub(store, keepAliveMs);
  hubs.set(owner, hub);
  return hub;
}
