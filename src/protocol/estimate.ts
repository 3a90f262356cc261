import type { DurationHistory, OperationRecord, StepRecord } from '../store/store.js';
import { median, pathKey } from './durations.js';
import { stepPercent } from './step-rollup.js';

/**
 * Time estimates (PROTOCOL.md section 3: `estimatedRemainingSeconds`, `estimatedCompletionDateTime`).
 * Pure: same record, basis and clock, same estimate.
 *
 * Two sources, blended by how far the work has come:
 * - history: the median of the recent successful runs of this kind, and of each step path. For a
 *   running operation or step it is the larger of "its median minus the time it has run" and "what
 *   its unfinished children are expected to take" (children run one after another; siblings running
 *   at once overlap). A run already past its median has no history-based estimate.
 * - progress rate: at fraction f done after t, the rest takes t * (1 - f) / f. A fraction that is
 *   only rolled up from child steps is used when their expected durations are not all known.
 * The estimate is f * rate + (1 - f) * history: history leads early, the rate near the end. With
 * neither, there is no estimate and the fields are omitted.
 */

/** Typical duration of one step path (or of the operation). */
export interface DurationSummary {
  medianMs: number;
  samples: number;
}

/** What estimates of one kind start from. */
export interface EstimateBasis {
  operation: DurationSummary | undefined;
  /** By pathKey() of the step's titles from its top-level step down. */
  steps: ReadonlyMap<string, DurationSummary>;
}

export const EMPTY_BASIS: EstimateBasis = { operation: undefined, steps: new Map() };

/** Summarises a store's recent durations (DurationHistory) into medians. */
export function estimateBasis(history: readonly DurationHistory[]): EstimateBasis {
  let operation: DurationSummary | undefined;
  const steps = new Map<string, DurationSummary>();
  for (const { path, durationsMs } of history) {
    const medianMs = median(durationsMs);
    if (medianMs === undefined) continue;
    const summary = { medianMs, samples: durationsMs.length };
    if (path.length === 0) operation = summary;
    else steps.set(pathKey(path), summary);
  }
  return { operation, steps };
}

export interface Estimate {
  /** The clock the estimate was made at (epoch ms): completion = now + remaining. */
  now: number;
  /** Milliseconds until the operation ends; undefined when unknown. */
  remainingMs: number | undefined;
  /** By step id: milliseconds until that step ends, for Running and NotStarted steps that have one. */
  steps: ReadonlyMap<string, number>;
}

type EstimatedRecord = Pick<
  OperationRecord,
  'status' | 'startedAt' | 'percentComplete' | 'progress' | 'steps'
>;

/** The estimate of an operation that is NotStarted or Running; undefined once it ends or cancels. */
export function estimateOperation(
  operation: EstimatedRecord,
  basis: EstimateBasis,
  now: number,
): Estimate | undefined {
  if (operation.status !== 'NotStarted' && operation.status !== 'Running') return undefined;
  const steps = new Map<string, number>();
  const walk = new StepWalk(basis, now, steps);
  const fraction =
    operation.percentComplete === undefined ? undefined : operation.percentComplete / 100;
  const remainingMs = walk.remainingOf({
    startTime: operation.startedAt ?? now,
    fraction,
    measured: operation.progress?.total !== undefined,
    summary: basis.operation,
    children: operation.steps,
    path: [],
  });
  return { now, remainingMs, steps };
}

/** Retry-After from an estimate: about a tenth of what is left, 1 s when it is near, at most 30 s. */
export function retryAfterForRemaining(remainingMs: number): number {
  return Math.min(30, Math.max(1, Math.ceil(remainingMs / 10_000)));
}

interface RunningNode {
  startTime: number;
  fraction: number | undefined;
  /** The fraction is reported (percent or counts), not only rolled up from the children. */
  measured: boolean;
  summary: DurationSummary | undefined;
  children: readonly StepRecord[];
  path: readonly string[];
}

function rateRemaining(elapsedMs: number, fraction: number | undefined): number | undefined {
  if (fraction === undefined || fraction <= 0 || elapsedMs <= 0) return undefined;
  if (fraction >= 1) return 0;
  return (elapsedMs * (1 - fraction)) / fraction;
}

const maxOf = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

class StepWalk {
  readonly #basis: EstimateBasis;
  readonly #now: number;
  readonly #out: Map<string, number>;

  constructor(basis: EstimateBasis, now: number, out: Map<string, number>) {
    this.#basis = basis;
    this.#now = now;
    this.#out = out;
  }

  /** Milliseconds until a running node (the operation, or a Running step) ends. */
  remainingOf(node: RunningNode): number | undefined {
    const elapsed = Math.max(0, this.#now - node.startTime);
    const median = node.summary?.medianMs;
    const own = median !== undefined && median > elapsed ? median - elapsed : undefined;
    const children =
      node.children.length > 0 ? this.#sequence(node.children, node.path, 0) : undefined;
    const history = maxOf(own, children);
    // A fraction rolled up from the children counts them as equals: what they are expected to take
    // says more, so only a reported fraction refines it.
    const rate =
      children !== undefined && !node.measured ? undefined : rateRemaining(elapsed, node.fraction);
    if (history === undefined) return rate;
    if (rate === undefined) return history;
    const weight = Math.min(1, Math.max(0, node.fraction ?? 0));
    return weight * rate + (1 - weight) * history;
  }

  /**
   * Walks siblings in order from `startAt` (ms from now when the first unfinished one may start),
   * records each unfinished step's expected end, and returns when the last one ends (undefined once
   * one of them is unknown).
   */
  #sequence(
    steps: readonly StepRecord[],
    parentPath: readonly string[],
    startAt: number | undefined,
  ): number | undefined {
    let at = startAt;
    for (const step of steps) {
      if (step.status !== 'Running' && step.status !== 'NotStarted') continue;
      const path = [...parentPath, step.title];
      const summary = this.#basis.steps.get(pathKey(path));
      if (step.status === 'Running') {
        const percent = stepPercent(step);
        const remaining = this.remainingOf({
          startTime: step.startTime ?? this.#now,
          fraction: percent === undefined ? undefined : percent / 100,
          measured: step.percentComplete !== undefined || step.progress?.total !== undefined,
          summary,
          children: step.steps ?? [],
          path,
        });
        if (remaining !== undefined) this.#out.set(step.id, remaining);
        // Siblings running at once overlap: the sequence goes on once the last of them ends.
        at = at === undefined || remaining === undefined ? undefined : Math.max(at, remaining);
      } else {
        const childrenEnd = step.steps?.length ? this.#sequence(step.steps, path, at) : undefined;
        const end = at !== undefined && summary !== undefined ? at + summary.medianMs : childrenEnd;
        if (end !== undefined) this.#out.set(step.id, end);
        at = end;
      }
    }
    return at;
  }
}
