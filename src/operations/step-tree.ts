import { MAX_STEP_COUNT, MAX_STEP_DEPTH } from '../protocol/step-rollup.js';
import type { StepRecord } from '../store/store.js';
import type { StepPlan } from './define-operation.js';

/** Builds the NotStarted tree from an operation's declared plan. Ids are positional: `1`, `1.2`, ... */
export function plannedSteps(plan: readonly StepPlan[], parentId = ''): StepRecord[] {
  return plan.map((entry, index) => {
    const id = parentId ? `${parentId}.${index + 1}` : String(index + 1);
    const title = typeof entry === 'string' ? entry : entry.title;
    const step: StepRecord = { id, title, status: 'NotStarted' };
    if (typeof entry !== 'string') {
      if (entry.weight !== undefined) step.weight = entry.weight;
      if (entry.steps) step.steps = plannedSteps(entry.steps, id);
    }
    return step;
  });
}

export function countSteps(steps: readonly StepRecord[]): number {
  return steps.reduce((sum, step) => sum + 1 + countSteps(step.steps ?? []), 0);
}

/**
 * Finds the step with this title among `siblings` that has not started yet (a planned one), or appends
 * a new one. A title may repeat (a loop of "Copy file"): each run takes the next NotStarted match.
 */
export function openStep(
  siblings: StepRecord[],
  parent: StepRecord | undefined,
  title: string,
  total: number,
): StepRecord {
  const planned = siblings.find((step) => step.title === title && step.status === 'NotStarted');
  if (planned) return planned;
  const depth = parent ? parent.id.split('.').length + 1 : 1;
  if (depth > MAX_STEP_DEPTH) {
    throw new RangeError(
      `Step "${title}" would nest ${depth} deep; the limit is ${MAX_STEP_DEPTH}.`,
    );
  }
  if (total >= MAX_STEP_COUNT) {
    throw new RangeError(`Step "${title}" would exceed the limit of ${MAX_STEP_COUNT} steps.`);
  }
  const id = parent ? `${parent.id}.${siblings.length + 1}` : String(siblings.length + 1);
  const step: StepRecord = { id, title, status: 'NotStarted' };
  siblings.push(step);
  return step;
}
