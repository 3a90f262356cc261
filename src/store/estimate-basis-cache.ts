import { EMPTY_BASIS, type EstimateBasis, estimateBasis } from '../protocol/estimate.js';
import type { Store } from './store.js';

/** How long a kind's basis is served before it is read again (in the background). */
export const ESTIMATE_BASIS_TTL_MS = 5_000;
/** Kinds remembered at once; the least recently loaded goes first. */
const MAX_KINDS = 1_000;

interface Entry {
  basis: EstimateBasis;
  loadedAt: number;
}

/**
 * The estimate basis of each kind, per process and store, so a status GET costs no query: the first
 * read of a kind waits for one `recentDurations` query, later ones are answered from memory; after
 * ESTIMATE_BASIS_TTL_MS the remembered basis is still served while a fresh one loads. A worker in
 * this process invalidates a kind as soon as it has recorded new durations for it; other processes
 * catch up within the TTL. A failing read means no estimate, never a failing GET.
 */
export class EstimateBasisCache {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<EstimateBasis>>();
  /** Bumped by invalidate(): a load that began before it must not store its older answer. */
  readonly #generation = new Map<string, number>();

  constructor(store: Store, ttlMs = ESTIMATE_BASIS_TTL_MS) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  /** The basis of `kind`: at once when remembered (even if stale: it is then refreshed), else loaded. */
  get(kind: string, now = Date.now()): EstimateBasis | Promise<EstimateBasis> {
    const entry = this.#entries.get(kind);
    if (!entry) return this.#load(kind);
    if (now - entry.loadedAt >= this.#ttlMs) void this.#load(kind);
    return entry.basis;
  }

  /** Forgets what is remembered of these kinds: their next read loads the new durations. */
  invalidate(kinds: Iterable<string>): void {
    for (const kind of kinds) {
      this.#entries.delete(kind);
      this.#loading.delete(kind);
      this.#generation.set(kind, (this.#generation.get(kind) ?? 0) + 1);
    }
  }

  #load(kind: string): Promise<EstimateBasis> {
    const running = this.#loading.get(kind);
    if (running) return running;
    const generation = this.#generation.get(kind) ?? 0;
    const loading = this.#store.recentDurations(kind).then(
      (history) => estimateBasis(history),
      () => EMPTY_BASIS,
    );
    this.#loading.set(kind, loading);
    void loading.then((basis) => {
      if (this.#loading.get(kind) === loading) this.#loading.delete(kind);
      if ((this.#generation.get(kind) ?? 0) !== generation) return;
      this.#entries.delete(kind);
      this.#entries.set(kind, { basis, loadedAt: Date.now() });
      if (this.#entries.size > MAX_KINDS) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
    });
    return loading;
  }
}

const caches = new WeakMap<Store, EstimateBasisCache>();

/** The one cache of a store in this process, shared by its HTTP handler and its worker. */
export function estimateBasisCache(store: Store): EstimateBasisCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new EstimateBasisCache(store);
    caches.set(store, cache);
  }
  return cache;
}
