import type { OperationSnapshot, StepSnapshot } from '../../src/client/index.js';

/** `75 s` -> `1m 15s`. */
export function formatSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

const clamp = (value: number) => Math.max(0, Math.min(100, value));

type Progressing = Pick<StepSnapshot, 'status' | 'percentComplete' | 'progress' | 'steps'>;

/** Percent of a step or operation: its own figure, else its progress, else its finished sub-steps. */
export function percentOf(item: Progressing): number {
  if (item.status === 'Succeeded') return 100;
  if (item.percentComplete !== undefined) return clamp(item.percentComplete);
  const total = item.progress?.total;
  if (item.progress && total) return clamp((item.progress.completed / total) * 100);
  const steps = item.steps ?? [];
  if (steps.length > 0) {
    const sum = steps.reduce((acc, step) => acc + percentOf(step), 0);
    return clamp(sum / steps.length);
  }
  return 0;
}

/** `n/m`: finished sub-steps of all, else progress completed of total; undefined when neither. */
export function countOf(item: Progressing): string | undefined {
  const steps = item.steps ?? [];
  if (steps.length > 0) {
    const done = steps.filter((step) => step.status === 'Succeeded').length;
    return `${done}/${steps.length}`;
  }
  if (item.progress) {
    const unit = item.progress.unit ? ` ${item.progress.unit}` : '';
    return item.progress.total === undefined
      ? `${item.progress.completed}${unit}`
      : `${item.progress.completed}/${item.progress.total}${unit}`;
  }
  return undefined;
}

/** The deepest running step's title, for "now: ..." lines. */
export function currentStep(steps: readonly StepSnapshot[] | undefined): StepSnapshot | undefined {
  for (const step of steps ?? []) {
    if (step.status === 'Running' || step.status === 'Canceling') {
      return currentStep(step.steps) ?? step;
    }
  }
  return undefined;
}

/** Seconds since the operation was created, up to its last update once done. */
export function elapsedSeconds(snapshot: OperationSnapshot, now: number): number | undefined {
  if (!snapshot.createdDateTime) return undefined;
  const start = Date.parse(snapshot.createdDateTime);
  const end =
    snapshot.done && snapshot.lastUpdatedDateTime ? Date.parse(snapshot.lastUpdatedDateTime) : now;
  return Number.isFinite(start) ? Math.max(0, (end - start) / 1000) : undefined;
}
