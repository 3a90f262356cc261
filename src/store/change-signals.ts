import type { ChangeSignal } from './store.js';

/** In-process "look again" fan-out. A throwing listener cannot break the store or other listeners. */
export class ChangeSignals {
  readonly #listeners = new Set<(signal: ChangeSignal) => void>();

  subscribe(listener: (signal: ChangeSignal) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(signal: ChangeSignal): void {
    for (const listener of this.#listeners) {
      try {
        listener(signal);
      } catch {
        // A listener's failure is its own; the write it reports has already committed.
      }
    }
  }
}
