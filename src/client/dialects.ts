import { errorFromAnswer, GRPC_CANCELLED, isCanceledCode, readError } from './operation-error.js';
import {
  type Dialect,
  isTerminalStatus,
  type OperationSnapshot,
  type OperationStatus,
} from './snapshot.js';

/** What a body says about an operation, before the HTTP details (status, ETag) are added. */
export type StatusReading = Omit<OperationSnapshot, 'httpStatus' | 'body' | 'etag' | 'eventId'>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Status words of the neighbouring dialects, lower case without separators; any other word is Running.
const WORDS: Record<string, OperationStatus> = {
  notstarted: 'NotStarted',
  queued: 'NotStarted',
  pending: 'NotStarted',
  succeeded: 'Succeeded',
  success: 'Succeeded',
  successful: 'Succeeded',
  completed: 'Succeeded',
  complete: 'Succeeded',
  failed: 'Failed',
  failure: 'Failed',
  faulted: 'Failed',
  error: 'Failed',
  canceled: 'Canceled',
  cancelled: 'Canceled',
  canceling: 'Canceling',
  cancelling: 'Canceling',
};

/** `"succeeded"`, `"InProgress"`, `"CANCELLED"`... as one of the six statuses (case does not matter). */
export function statusFromWord(word: string): OperationStatus {
  return WORDS[word.toLowerCase().replace(/[^a-z]/g, '')] ?? 'Running';
}

function reading(dialect: Dialect, status: OperationStatus): StatusReading {
  return { dialect, status, done: isTerminalStatus(status) };
}

// Fields copied when present with the right JSON type.
const STRING_FIELDS = ['id', 'kind', 'title', 'message', 'resourceLocation'] as const;
const TIME_FIELDS = [
  'createdDateTime',
  'lastUpdatedDateTime',
  'estimatedCompletionDateTime',
] as const;

/** Copies the optional fields a longrun or Azure status body may carry. */
function copyFields(target: StatusReading, body: Json): void {
  for (const key of [...STRING_FIELDS, ...TIME_FIELDS]) {
    const value = body[key];
    if (typeof value === 'string') target[key] = value;
  }
  if (typeof body.percentComplete === 'number') target.percentComplete = body.percentComplete;
  if (typeof body.estimatedRemainingSeconds === 'number') {
    target.estimatedRemainingSeconds = body.estimatedRemainingSeconds;
  }
  if (typeof body.cancelRequested === 'boolean') target.cancelRequested = body.cancelRequested;
  if (isObject(body.progress) && typeof body.progress.completed === 'number') {
    target.progress = body.progress as unknown as NonNullable<StatusReading['progress']>;
  }
  if (Array.isArray(body.steps)) target.steps = body.steps as NonNullable<StatusReading['steps']>;
  if (isObject(body.links)) {
    const links = Object.entries(body.links).filter(([, url]) => typeof url === 'string');
    target.links = Object.fromEntries(links) as Record<string, string>;
  }
}

/** A `status` body: longrun's representation (it has `links`) or an Azure-style status monitor. */
function statusBody(body: Json, word: string): StatusReading {
  const result = reading(isObject(body.links) ? 'longrun' : 'status', statusFromWord(word));
  copyFields(result, body);
  const error = readError(body.error, result.status);
  if (error && (result.status === 'Failed' || result.status === 'Canceled')) result.error = error;
  if (result.status === 'Failed') result.error ??= missingError(word);
  return result;
}

/** A Google `google.longrunning.Operation`: `done` (absent means false), `error` or `response`. */
function googleOperation(body: Json): StatusReading {
  const error = readError(body.error, 'UNKNOWN');
  const status: OperationStatus =
    body.done !== true
      ? 'Running'
      : error === undefined
        ? 'Succeeded'
        : error.status === GRPC_CANCELLED
          ? 'Canceled'
          : 'Failed';
  const result = reading('google', status);
  if (typeof body.name === 'string') result.id = body.name;
  if (error && result.done) result.error = error;
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const percent = metadata.progressPercent ?? metadata.percentComplete;
  if (typeof percent === 'number') result.percentComplete = percent;
  return result;
}

/** `provisioningState` of an Azure Resource Manager resource body (top level or in `properties`). */
export function provisioningStateOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const properties = isObject(body.properties) ? body.properties : {};
  const state = properties.provisioningState ?? body.provisioningState;
  return typeof state === 'string' ? state : undefined;
}

/** Reads a body in any dialect; undefined when it says nothing about an operation's status. */
export function readStatusBody(body: unknown): StatusReading | undefined {
  if (!isObject(body)) return undefined;
  if (typeof body.status === 'string') return statusBody(body, body.status);
  if (typeof body.name === 'string' && ('done' in body || 'metadata' in body)) {
    return googleOperation(body);
  }
  const state = provisioningStateOf(body);
  if (state === undefined) return undefined;
  const result = reading('resource', statusFromWord(state));
  if (result.status === 'Failed')
    result.error = readError(body.error, 'Failed') ?? missingError(state);
  return result;
}

/**
 * What a `Location` monitor's answer means: 202 is still running (with whatever its body tells),
 * 2xx is success (the body is the result), anything else is the failure (the body is the problem).
 */
export function readLocationAnswer(httpStatus: number, body: unknown): StatusReading {
  if (httpStatus === 202) {
    // Still running, whatever the body says: keep its progress, not a final status or error.
    const told = readStatusBody(body);
    const status = told && !told.done ? told.status : 'Running';
    const running: StatusReading = { ...told, dialect: 'location', status, done: false };
    delete running.error;
    return running;
  }
  if (httpStatus >= 200 && httpStatus < 300) return reading('location', 'Succeeded');
  const error = errorFromAnswer(httpStatus, body);
  const status = isCanceledCode(error.code) ? 'Canceled' : 'Failed';
  return { ...reading('location', status), error };
}

/** A `provisioningState` answer about the resource itself; no state at all means it is there. */
export function readResourceAnswer(body: unknown): StatusReading {
  const told = readStatusBody(body);
  if (told?.dialect === 'resource') return told;
  return reading('resource', 'Succeeded');
}

function missingError(word: string) {
  return { code: 'Failed', message: `the server reported "${word}" without an error object` };
}
