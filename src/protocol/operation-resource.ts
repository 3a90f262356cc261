import type { OperationRecord, StepRecord } from '../store/store.js';
import type { Estimate } from './estimate.js';
import { isTerminal } from './operation-state.js';
import type { ErrorBody } from './problem.js';
import { stepPercent } from './step-rollup.js';

/** Inline results above this size are served only by the result monitor. */
export const INLINE_RESULT_MAX_BYTES = 64 * 1024;

/** Absolute URLs around one operation, built by the HTTP layer from its public origin and mount root. */
export interface OperationUrls {
  self: string;
  result: string;
  cancel: string;
  wait: string;
  events: string;
  /** Turns an app-relative resource path into an absolute URL. */
  resolve(path: string): string;
}

export function operationUrls(root: string, id: string): OperationUrls {
  const self = `${root}/operations/${id}`;
  return {
    self,
    result: `${self}/result`,
    cancel: `${self}:cancel`,
    wait: `${self}:wait`,
    events: `${self}/events`,
    // App-relative paths live under the mount root, like every other URL the server emits.
    resolve: (path) =>
      /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : `${root}/${path.replace(/^\/+/, '')}`,
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export interface StepBody {
  id: string;
  title: string;
  status: StepRecord['status'];
  percentComplete?: number;
  progress?: StepRecord['progress'];
  message?: string;
  startTime?: string;
  endTime?: string;
  estimatedCompletionDateTime?: string;
  estimatedRemainingSeconds?: number;
  error?: ErrorBody;
  steps?: StepBody[];
}

/** Seconds to one decimal: a sub-second run still shows a useful number. */
const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : Math.round(Math.max(0, ms) / 100) / 10;
const completion = (estimate: Estimate | undefined, ms: number | undefined) =>
  estimate === undefined || ms === undefined ? undefined : iso(estimate.now + Math.max(0, ms));

function renderStep(step: StepRecord, estimate: Estimate | undefined): StepBody {
  const percent = stepPercent(step);
  const remaining = estimate?.steps.get(step.id);
  return omittingUndefined<StepBody>({
    id: step.id,
    title: step.title,
    status: step.status,
    percentComplete: percent,
    progress: step.progress,
    message: step.message,
    startTime: iso(step.startTime),
    endTime: iso(step.endTime),
    estimatedCompletionDateTime: completion(estimate, remaining),
    estimatedRemainingSeconds: seconds(remaining),
    error: step.error,
    steps: step.steps?.map((child) => renderStep(child, estimate)),
  });
}

/**
 * A body whose unknown fields are undefined: JSON.stringify leaves them out (never null), and every
 * use of a rendered body is serialised. Not deleted: deleting turned each body into a slow
 * dictionary-mode object (measured: serialising it was 5% of a POST's CPU).
 */
function omittingUndefined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return value as T;
}

function inlineResult(result: unknown): unknown {
  if (result === undefined || result === null) return undefined;
  return JSON.stringify(result).length <= INLINE_RESULT_MAX_BYTES ? result : undefined;
}

/** Google's `response` projection: an `@type`d object around the result. */
function googleResponse(result: unknown): Record<string, unknown> | undefined {
  if (result === undefined) return undefined;
  const typeUrl = 'type.googleapis.com/longrun.OperationResult';
  return typeof result === 'object' && result !== null && !Array.isArray(result)
    ? { '@type': typeUrl, ...result }
    : { '@type': typeUrl, value: result };
}

/**
 * The operation representation of PROTOCOL.md section 3. Pure: same record (and estimate, see
 * protocol/estimate.ts), same document. Without an estimate the estimated* fields are omitted.
 */
export function renderOperation(
  operation: OperationRecord,
  urls: OperationUrls,
  estimate?: Estimate,
) {
  const done = isTerminal(operation.status);
  const result = operation.status === 'Succeeded' ? inlineResult(operation.result) : undefined;
  const links: Record<string, string> = { self: urls.self, result: urls.result };
  if (!done) {
    links.cancel = urls.cancel;
    links.events = urls.events;
    links.wait = urls.wait;
  }
  return omittingUndefined({
    id: operation.id,
    name: `operations/${operation.id}`,
    kind: operation.kind,
    status: operation.status,
    done,
    title: operation.title,
    message: operation.message,
    percentComplete: operation.status === 'Succeeded' ? 100 : operation.percentComplete,
    progress: operation.progress,
    steps: operation.steps.map((step) => renderStep(step, estimate)),
    createdDateTime: iso(operation.createdAt),
    lastUpdatedDateTime: iso(operation.updatedAt),
    startTime: iso(operation.startedAt),
    endTime: iso(operation.endedAt),
    estimatedCompletionDateTime: completion(estimate, estimate?.remainingMs),
    estimatedRemainingSeconds: seconds(estimate?.remainingMs),
    expirationDateTime: iso(operation.expiresAt),
    cancelRequested: operation.cancelRequested,
    attempts: operation.attempts,
    error: operation.error,
    result,
    resourceLocation:
      operation.status === 'Succeeded' && operation.resourceLocation !== undefined
        ? urls.resolve(operation.resourceLocation)
        : undefined,
    response: operation.status === 'Succeeded' ? googleResponse(result) : undefined,
    metadata: {
      '@type': 'type.googleapis.com/longrun.OperationMetadata',
      kind: operation.kind,
      status: operation.status,
      percentComplete: operation.percentComplete,
    },
    links,
  });
}

export type OperationBody = ReturnType<typeof renderOperation>;
