import type { TerminalStatus } from './protocol/operation-state.js';

/**
 * Everything longrun reports about itself, as a discriminated union (`noun:verb`). The library never
 * prints: the CLI turns these into lines for people, tests wait on them instead of sleeping.
 */
export type LongrunEvent =
  | { type: 'operation:created'; id: string; kind: string; tenant: string }
  | { type: 'operation:claimed'; id: string; kind: string; attempt: number; workerId: string }
  | {
      type: 'operation:finished';
      id: string;
      kind: string;
      status: TerminalStatus;
      durationMs: number;
    }
  | {
      type: 'operation:retry';
      id: string;
      kind: string;
      attempt: number;
      runAfter: number;
      message: string;
    }
  | { type: 'operation:released'; id: string; kind: string }
  | { type: 'lease:lost'; id: string; kind: string }
  | { type: 'recovery:done'; requeued: number; failed: number; canceled: number }
  | { type: 'retention:done'; expired: number; purged: number }
  | { type: 'worker:error'; message: string; error: unknown }
  | { type: 'http:error'; method: string; path: string; error: unknown };

export type LongrunEventListener = (event: LongrunEvent) => void;

/** Fan-out of events to listeners; a listener that throws never breaks the emitter. */
export class EventHub {
  readonly #listeners = new Set<LongrunEventListener>();

  on(listener: LongrunEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: LongrunEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Reporting must never break the work it reports on.
      }
    }
  }
}
