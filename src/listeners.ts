/** A set of listeners for one kind of value. A listener that throws never breaks the emitter or the others. */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  /** Adds a listener; returns the function that removes it. */
  on(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(value);
      } catch {
        // A listener's failure is its own: what it listens to has already happened.
      }
    }
  }
}
