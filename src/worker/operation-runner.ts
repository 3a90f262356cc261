import type { EventHub } from '../events.js';
import type { AnyOperation } from '../operations/define-operation.js';
import { isResourceOutcome } from '../operations/define-operation.js';
import { errorBodyOf, PermanentFailure } from '../operations/errors.js';
import { RunAbort } from '../operations/run-abort.js';
import { OperationRunContext, type RunState } from '../operations/run-context.js';
import { resumableSteps } from '../operations/step-tree.js';
import { CANCELED_ERROR } from '../protocol/problem.js';
import { closeOpenSteps } from '../protocol/step-closing.js';
import type { ClaimedOperation, FinishOutcome, Store } from '../store/store.js';
import { type DurationRecorder, durationSamples } from './duration-recorder.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { ProgressWriter } from './progress-writer.js';

export interface RunnerDeps {
  store: Store;
  leases: LeaseKeeper;
  events: EventHub;
  retentionMs: number;
  /** Where finished runs' durations go (estimates and stats); none records nothing. */
  durations?: DurationRecorder;
}

/** Backoff before retrying a failed attempt: exponential from 1 s, capped at a minute, with jitter. */
function retryDelayMs(attempt: number): number {
  const base = Math.min(60_000, 1000 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

/**
 * Runs one claimed operation to an outcome the store records under its lease. The outcome follows from
 * why the run stopped, not from what it threw: a cancel ends it Canceled, a lost lease writes nothing,
 * a shutdown gives it back to the queue, a PermanentFailure or the last attempt ends it Failed.
 */
export async function runClaimedOperation(
  claimed: ClaimedOperation,
  definition: AnyOperation,
  deps: RunnerDeps,
  onReturned: () => void,
): Promise<void> {
  const { lease, operation } = claimed;
  const abort = new RunAbort();
  const state: RunState = {
    steps: resumableSteps(operation.steps),
    message: undefined,
    progress: undefined,
  };
  const writer = new ProgressWriter(
    deps.store,
    lease,
    state,
    () => deps.leases.abort(lease.id, 'lease-lost'),
    (error) =>
      deps.events.emit({ type: 'worker:error', message: 'Writing progress failed', error }),
  );
  const context = new OperationRunContext({
    operationId: operation.id,
    attempt: operation.attempts,
    abort,
    state,
    changed: () => writer.changed(),
  });
  deps.leases.hold(lease, abort);
  if (operation.cancelRequested) abort.abort('cancel');
  const started = Date.now();

  let returned: { value: unknown } | undefined;
  let thrown: unknown;
  try {
    if (abort.aborted) throw abort.reason;
    returned = { value: await definition.run(operation.input, context) };
  } catch (error) {
    thrown = error;
  }
  // The user's code is done: its slot may take new work, whose claim then shares this outcome's commit.
  onReturned();
  await writer.flushed();
  deps.leases.drop(lease.id);

  const now = Date.now();
  const expiresAt = now + deps.retentionMs;
  const abortCause = abort.reason?.abortCause;
  const progress = writer.snapshot();
  // Durations count only when the finish was recorded: a lost lease means the run will happen again.
  const report = (status: FinishOutcome['status'], recorded: boolean) => {
    if (recorded) deps.durations?.add(durationSamples(operation, state.steps, status, now));
    deps.events.emit({
      type: 'operation:finished',
      id: operation.id,
      kind: operation.kind,
      status,
      durationMs: now - started,
    });
  };

  if (abortCause === 'lease-lost') {
    deps.events.emit({ type: 'lease:lost', id: operation.id, kind: operation.kind });
    return;
  }
  if (abortCause === 'shutdown') {
    await deps.store.release(lease, {
      runAfter: now,
      refundAttempt: true,
      message: 'Interrupted by a worker shutdown; it will run again.',
      steps: state.steps,
    });
    deps.events.emit({ type: 'operation:released', id: operation.id, kind: operation.kind });
    return;
  }
  if (abortCause === 'cancel') {
    closeOpenSteps(state.steps, 'Canceled', now);
    const recorded = await deps.store.finish(lease, {
      ...progress,
      status: 'Canceled',
      error: CANCELED_ERROR,
      resultHttpStatus: 409,
      expiresAt,
    });
    report('Canceled', recorded);
    return;
  }
  if (returned) {
    closeOpenSteps(state.steps, 'Succeeded', now);
    const value = returned.value;
    const outcome: FinishOutcome = {
      ...progress,
      status: 'Succeeded',
      expiresAt,
      percentComplete: 100,
    };
    if (isResourceOutcome(value)) {
      outcome.resourceLocation = value.location;
      if (value.body !== undefined) outcome.result = value.body;
      outcome.resultHttpStatus = value.created ? 201 : 200;
    } else {
      if (value !== undefined) outcome.result = value;
      outcome.resultHttpStatus = 200;
    }
    // The store records Canceled instead if a cancel request won the race.
    const recorded = await deps.store.finish(lease, outcome);
    report('Succeeded', recorded);
    return;
  }
  const error = errorBodyOf(thrown);
  const permanent = PermanentFailure.is(thrown);
  if (!permanent && operation.attempts < operation.maxAttempts) {
    const runAfter = now + retryDelayMs(operation.attempts);
    const message = `Attempt ${operation.attempts} of ${operation.maxAttempts} failed (${error.message}); retrying.`;
    await deps.store.release(lease, {
      runAfter,
      refundAttempt: false,
      message,
      steps: state.steps,
    });
    deps.events.emit({
      type: 'operation:retry',
      id: operation.id,
      kind: operation.kind,
      attempt: operation.attempts,
      runAfter,
      message,
    });
    return;
  }
  closeOpenSteps(state.steps, 'Failed', now);
  const recorded = await deps.store.finish(lease, {
    ...progress,
    status: 'Failed',
    error,
    resultHttpStatus: PermanentFailure.is(thrown) ? thrown.httpStatus : 500,
    expiresAt,
  });
  report('Failed', recorded);
}
