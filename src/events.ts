import { Listeners } from './listeners.js';
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

/** Fan-out of events to listeners (worker, HTTP core, CLI printer, tests). */
export class EventHub extends Listeners<LongrunEvent> {}
