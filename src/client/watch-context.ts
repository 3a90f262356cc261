import type { Requester } from './requester.js';
import type { Backoff } from './retry-after.js';
import type { OperationSnapshot } from './snapshot.js';

/**
 * How the monitor URL is read: `status` (a status body, 200 while it exists), `location` (202 while
 * running, then the final answer), `resource` (the resource's own `provisioningState`), or `auto`
 * (decided by the first answer: 202 means `location`, a status body means `status`).
 */
export type MonitorMode = 'status' | 'location' | 'resource' | 'auto';

/** Everything needed to find an operation again: `handle.toJSON()`, taken by `client.operation()`. */
export interface OperationHandleJSON {
  /** The URL the client polls. */
  monitor: string;
  mode: MonitorMode;
  /** Method and URL of the request that started the operation, when this client started it. */
  method?: string;
  url?: string;
  /** `Location` of the answer that started it: for a POST, where the final result is. */
  location?: string;
}

export type TransportName = 'events' | 'long-poll' | 'poll';

/** Client settings every handle reads, with the defaults applied. */
export interface ClientSettings {
  /** Polling pace when the server gives no Retry-After; also caps any Retry-After. */
  poll: Backoff;
  longPollSeconds: number;
  events: boolean;
  longPoll: boolean;
}

/** What one handle's transports learn and keep across reconnects and restarts. */
export interface TransportState {
  transport: TransportName | undefined;
  /** `Retry-After` of the latest answer, for the next poll. */
  retryAfter: string | null;
  /** Last SSE event id seen, sent back as `Last-Event-ID`. */
  lastEventId: string | undefined;
  /** SSE reconnection delay the server asked for with `retry:`. */
  reconnectMs: number | undefined;
  eventsUnsupported: boolean;
  longPoll: 'unknown' | 'yes' | 'no';
  /** The latest snapshot may be old (a loop ran before): read before waiting. */
  stale: boolean;
}

/** One run of the watch loop: where to look, how, and where to put what it sees. */
export interface WatchContext {
  readonly requester: Requester;
  readonly settings: ClientSettings;
  readonly descriptor: OperationHandleJSON;
  readonly state: TransportState;
  readonly signal: AbortSignal;
  latest(): OperationSnapshot | undefined;
  /** Hands a snapshot to the observers; false when it was already seen (same revision or content). */
  publish(snapshot: OperationSnapshot): boolean;
}

export function newTransportState(): TransportState {
  return {
    transport: undefined,
    retryAfter: null,
    lastEventId: undefined,
    reconnectMs: undefined,
    eventsUnsupported: false,
    longPoll: 'unknown',
    stale: false,
  };
}
