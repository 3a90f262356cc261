import { type ErrorBody, grpcStatusOf, httpStatusOf } from '../protocol/problem.js';

export interface FailureOptions {
  /** HTTP status the result monitor answers with: 4xx for deterministic failures, 5xx for real faults. */
  httpStatus?: number;
  target?: string;
  details?: ErrorBody[];
}

/**
 * Thrown by `run()` to end the operation as Failed with this code and message, and never retry it:
 * the failure is deterministic (bad input discovered late, a refused request, a missing dependency).
 */
export class PermanentFailure extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly target: string | undefined;
  readonly details: ErrorBody[] | undefined;

  constructor(code: string, message: string, options: FailureOptions = {}) {
    super(message);
    this.name = 'PermanentFailure';
    this.code = code;
    this.httpStatus = options.httpStatus ?? httpStatusOf(code, 422);
    this.target = options.target;
    this.details = options.details;
  }

  /** Works across duplicate installs of longrun, where `instanceof` would not. */
  static is(error: unknown): error is PermanentFailure {
    return error instanceof Error && error.name === 'PermanentFailure' && 'code' in error;
  }

  toErrorBody(): ErrorBody {
    const body: ErrorBody = {
      code: this.code,
      message: this.message,
      status: grpcStatusOf(this.code, this.httpStatus),
    };
    if (this.target !== undefined) body.target = this.target;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** Why a run's signal was aborted. The worker decides the outcome from this, not from what run() threw. */
export type AbortCause = 'cancel' | 'lease-lost' | 'shutdown';

export class RunAborted extends Error {
  readonly abortCause: AbortCause;
  constructor(cause: AbortCause) {
    super(
      cause === 'cancel'
        ? 'The operation was canceled.'
        : cause === 'lease-lost'
          ? 'This worker lost its lease on the operation; another worker may run it.'
          : 'The worker is shutting down; the operation will run again elsewhere.',
    );
    this.name = 'RunAborted';
    this.abortCause = cause;
  }
}

/** The error body of an unexpected exception: its message, no stack (stacks stay in the logs). */
export function errorBodyOf(error: unknown): ErrorBody {
  if (PermanentFailure.is(error)) return error.toErrorBody();
  const message =
    error instanceof Error && error.message
      ? error.message
      : `The operation threw ${String(error)}.`;
  return { code: 'Internal', message, status: 'INTERNAL' };
}
