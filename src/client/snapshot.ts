import type { OperationStatus } from '../protocol/operation-state.js';

/** Statuses every dialect is normalised to: longrun's, which are Azure's (one list, pure, browser-safe). */
export type { OperationStatus };

/** An operation's error: `code` and `message` always set; the rest as the server sent it. */
export interface OperationError {
  code: string;
  message: string;
  target?: string;
  /** gRPC status name (longrun) or number (Google). */
  status?: string | number;
  details?: unknown[];
}

export interface OperationProgress {
  completed: number;
  total?: number;
  unit?: string;
}

export interface StepSnapshot {
  id: string;
  title: string;
  status: string;
  percentComplete?: number;
  progress?: OperationProgress;
  message?: string;
  startTime?: string;
  endTime?: string;
  error?: OperationError;
  steps?: StepSnapshot[];
}

/**
 * Where a snapshot came from, which decides where the final result is:
 * - `longrun`: a longrun representation (result from `links.result`);
 * - `status`: an Azure-style status monitor (result from `resourceLocation`, or by method);
 * - `google`: a Google operation (result inline in `response`);
 * - `resource`: the resource itself, or the final answer (`provisioningState`, or a 200 at once);
 * - `location`: a `Location` monitor (202 while running; the first other answer is the result).
 */
export type Dialect = 'longrun' | 'status' | 'google' | 'resource' | 'location';

/** One observed state of an operation, the same shape whatever dialect the server speaks. */
export interface OperationSnapshot {
  status: OperationStatus;
  /** True exactly when the status is Succeeded, Failed or Canceled. */
  done: boolean;
  dialect: Dialect;
  id?: string;
  kind?: string;
  title?: string;
  message?: string;
  percentComplete?: number;
  progress?: OperationProgress;
  steps?: StepSnapshot[];
  error?: OperationError;
  cancelRequested?: boolean;
  createdDateTime?: string;
  lastUpdatedDateTime?: string;
  estimatedRemainingSeconds?: number;
  estimatedCompletionDateTime?: string;
  resourceLocation?: string;
  /** Absolute URLs of the actions allowed now (longrun): self, result, cancel, events, wait. */
  links?: Readonly<Record<string, string>>;
  /** ETag of the answer it was read from. */
  etag?: string;
  /** SSE event id it came with. */
  eventId?: string;
  /** HTTP status of the answer it was read from (200 for SSE events). */
  httpStatus: number;
  /** The body exactly as the server sent it. */
  body: unknown;
}

export function isTerminalStatus(status: OperationStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Canceled';
}
