import type { OperationError } from './snapshot.js';

// google.rpc.Code numbers, by position.
const GRPC_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** google.rpc.Code 1: the operation was canceled. */
export const GRPC_CANCELLED = 1;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An error object in any dialect as `{code, message}`: longrun/Azure (`code` string), Google (`code`
 * number, turned into its gRPC name and kept as `status`). Undefined when `value` is not an object.
 */
export function readError(value: unknown, fallbackCode: string): OperationError | undefined {
  if (!isObject(value)) return undefined;
  const { code, message, target, status, details } = value;
  const error: OperationError = {
    code:
      typeof code === 'string' && code !== ''
        ? code
        : typeof code === 'number'
          ? (GRPC_NAMES[code] ?? String(code))
          : fallbackCode,
    message: typeof message === 'string' && message !== '' ? message : 'no message was given',
  };
  if (typeof target === 'string') error.target = target;
  if (typeof status === 'string' || typeof status === 'number') error.status = status;
  else if (typeof code === 'number') error.status = code;
  if (Array.isArray(details)) error.details = details;
  return error;
}

/**
 * The error carried by a failed final answer: the problem document's `error` object (longrun), a
 * top-level `code`/`message`, or the problem's `detail`/`title`, else the bare HTTP status.
 */
export function errorFromAnswer(httpStatus: number, body: unknown): OperationError {
  const fallback = `Http${httpStatus}`;
  if (isObject(body)) {
    const nested = readError(body.error, fallback);
    if (nested) return nested;
    const message = [body.message, body.detail, body.title].find(
      (text) => typeof text === 'string',
    );
    if (typeof body.code === 'string' || typeof message === 'string') {
      return readError({ code: body.code, message }, fallback)!;
    }
  }
  const text = typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 200) : '';
  return { code: fallback, message: text || `the final answer was HTTP ${httpStatus}` };
}

/** True when an error code says "canceled" (longrun `Canceled`, Azure, Google `CANCELLED`). */
export function isCanceledCode(code: string): boolean {
  return /^cancell?ed$/i.test(code);
}
