/**
 * The one catalogue of error codes: each maps to an HTTP status and a gRPC status name.
 * Every error the HTTP layer answers, and every error an operation ends with, uses a code from here
 * (operations may add their own codes; they then pick an HTTP status explicitly).
 */
export const PROBLEM_CATALOGUE = {
  InvalidArgument: { status: 400, grpc: 'INVALID_ARGUMENT', title: 'Invalid argument' },
  Unauthenticated: { status: 401, grpc: 'UNAUTHENTICATED', title: 'Unauthenticated' },
  PermissionDenied: { status: 403, grpc: 'PERMISSION_DENIED', title: 'Permission denied' },
  NotFound: { status: 404, grpc: 'NOT_FOUND', title: 'Not found' },
  MethodNotAllowed: { status: 405, grpc: 'UNIMPLEMENTED', title: 'Method not allowed' },
  NotAcceptable: { status: 406, grpc: 'INVALID_ARGUMENT', title: 'Not acceptable' },
  Conflict: { status: 409, grpc: 'FAILED_PRECONDITION', title: 'Conflict' },
  Canceled: { status: 409, grpc: 'CANCELLED', title: 'Canceled' },
  Gone: { status: 410, grpc: 'NOT_FOUND', title: 'Gone' },
  PayloadTooLarge: { status: 413, grpc: 'INVALID_ARGUMENT', title: 'Payload too large' },
  UnsupportedMediaType: { status: 415, grpc: 'INVALID_ARGUMENT', title: 'Unsupported media type' },
  ValidationFailed: { status: 422, grpc: 'INVALID_ARGUMENT', title: 'Validation failed' },
  IdempotencyKeyReused: { status: 422, grpc: 'ALREADY_EXISTS', title: 'Idempotency key reused' },
  FailedPrecondition: { status: 422, grpc: 'FAILED_PRECONDITION', title: 'Failed precondition' },
  TooManyRequests: { status: 429, grpc: 'RESOURCE_EXHAUSTED', title: 'Too many requests' },
  Internal: { status: 500, grpc: 'INTERNAL', title: 'Internal error' },
  AttemptsExhausted: { status: 500, grpc: 'ABORTED', title: 'Attempts exhausted' },
  Unavailable: { status: 503, grpc: 'UNAVAILABLE', title: 'Unavailable' },
} as const satisfies Record<string, { status: number; grpc: string; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CATALOGUE;

/** The `error` object of an operation and of every problem response (PROTOCOL.md section 3). */
export interface ErrorBody {
  code: string;
  message: string;
  target?: string;
  /** gRPC status name. */
  status?: string;
  details?: ErrorBody[];
  innererror?: Record<string, unknown>;
}

const GRPC_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  422: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** HTTP status for an error code: the catalogue's, else the given fallback. */
export function httpStatusOf(code: string, fallback = 500): number {
  return code in PROBLEM_CATALOGUE ? PROBLEM_CATALOGUE[code as ProblemCode].status : fallback;
}

/** gRPC status name for an error code, falling back on the HTTP status class. */
export function grpcStatusOf(code: string, httpStatus: number): string {
  if (code in PROBLEM_CATALOGUE) return PROBLEM_CATALOGUE[code as ProblemCode].grpc;
  return GRPC_BY_HTTP[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

/** An error that the HTTP layer turns into an `application/problem+json` answer. */
export class ProblemError extends Error {
  readonly code: string;
  readonly status: number;
  readonly target: string | undefined;
  readonly details: ErrorBody[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    message: string,
    options: { target?: string; details?: ErrorBody[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEM_CATALOGUE[code].status;
    this.target = options.target;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toErrorBody(): ErrorBody {
    const body: ErrorBody = {
      code: this.code,
      message: this.message,
      status: grpcStatusOf(this.code, this.status),
    };
    if (this.target !== undefined) body.target = this.target;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** RFC 9457 problem details, carrying the section-3 `error` object beside the standard members. */
export function problemDocument(status: number, error: ErrorBody, instance?: string) {
  const title =
    error.code in PROBLEM_CATALOGUE
      ? PROBLEM_CATALOGUE[error.code as ProblemCode].title
      : error.code;
  return {
    type: `https://longrun.dev/problems/${error.code}`,
    title,
    status,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    error,
  };
}

/** The error every Canceled operation carries (Google and Azure both report cancellation as an error). */
export const CANCELED_ERROR: ErrorBody = {
  code: 'Canceled',
  message: 'The operation was canceled at the caller’s request.',
  status: 'CANCELLED',
};

/** The error of an operation whose every attempt was interrupted (its worker died or lost its lease). */
export function attemptsExhaustedError(attempts: number): ErrorBody {
  return {
    code: 'AttemptsExhausted',
    message: `The operation was interrupted ${attempts} time(s) (its worker stopped or lost its lease) and has used all ${attempts} attempts; it will not run again. Start it again if the work is still wanted.`,
    status: 'ABORTED',
  };
}
