import type { ProgressRecord, StepRecord } from '../store/store.js';

/** Caps on the step tree, so one operation cannot grow an unbounded document. */
export const MAX_STEP_DEPTH = 8;
export const MAX_STEP_COUNT = 500;

function percentOfProgress(progress: ProgressRecord | undefined): number | undefined {
  if (!progress?.total) return undefined;
  return clampPercent((progress.completed / progress.total) * 100);
}

export function clampPercent(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value * 100) / 100));
}

/**
 * Percent complete of one step: explicit value first, then its own progress counts,
 * then the weighted mean of its children. Finished steps count as 100.
 */
export function stepPercent(step: StepRecord): number | undefined {
  if (step.status === 'Succeeded' || step.status === 'Skipped') return 100;
  if (step.percentComplete !== undefined) return step.percentComplete;
  const fromProgress = percentOfProgress(step.progress);
  if (fromProgress !== undefined) return fromProgress;
  if (step.steps && step.steps.length > 0) return treePercent(step.steps);
  return step.status === 'NotStarted' ? 0 : undefined;
}

/** Weighted mean of the steps' percentages; a running step with no news counts as 0. */
export function treePercent(steps: readonly StepRecord[]): number {
  let weighted = 0;
  let totalWeight = 0;
  for (const step of steps) {
    const weight = step.weight ?? 1;
    totalWeight += weight;
    weighted += weight * (stepPercent(step) ?? 0);
  }
  return totalWeight === 0 ? 0 : clampPercent(weighted / totalWeight);
}

/** Percent of a whole operation from its own progress or its steps; undefined when nothing says. */
export function operationPercent(
  progress: ProgressRecord | undefined,
  steps: readonly StepRecord[],
): number | undefined {
  return percentOfProgress(progress) ?? (steps.length > 0 ? treePercent(steps) : undefined);
}

/** The step that runs now: the deepest Running step, for "what is happening" lines. */
export function currentStep(steps: readonly StepRecord[]): StepRecord | undefined {
  for (const step of steps) {
    if (step.status !== 'Running') continue;
    return (step.steps && currentStep(step.steps)) ?? step;
  }
  return undefined;
}
