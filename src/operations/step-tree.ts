import { MAX_STEP_COUNT, MAX_STEP_DEPTH } from '../protocol/step-rollup.js';
import type { StepRecord } from '../store/store.js';

/** Builds the NotStarted tree from an operation's declared plan. Ids are positional: `1`, `1.2`, ... */
/** A step declared up front: shown as NotStarted before it runs, so callers see the whole plan. */
export type StepPlan = string | { title: string; weight?: number; steps?: readonly StepPlan[] };

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

/** Returned values above this size are not checkpointed: such a step runs again after a crash. */
const MAX_CHECKPOINT_BYTES = 64 * 1024;

/**
 * Records a succeeded step's returned value so a later attempt can skip the step and return it.
 * Values that JSON cannot carry faithfully (or that are too large) leave the step un-checkpointed.
 */
export function checkpoint(step: StepRecord, value: unknown): void {
  if (value === undefined) {
    step.checkpointed = true;
    return;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.length > MAX_CHECKPOINT_BYTES) return;
  step.value = JSON.parse(text);
  step.checkpointed = true;
}

/**
 * The step tree a new attempt starts from: checkpointed successes stay (they will be skipped), every
 * other step goes back to NotStarted, keeping the children that succeeded.
 */
export function resumableSteps(steps: readonly StepRecord[]): StepRecord[] {
  return steps.map((step) => {
    if (step.status === 'Succeeded' && step.checkpointed) return step;
    const fresh: StepRecord = { id: step.id, title: step.title, status: 'NotStarted' };
    if (step.weight !== undefined) fresh.weight = step.weight;
    if (step.steps) fresh.steps = resumableSteps(step.steps);
    return fresh;
  });
}

/**
 * Finds the step with this title among `siblings` that this attempt has not used yet, or appends a new
 * one. A title may repeat (a loop of "Copy file"): each call takes the next match in order. A match
 * that already succeeded in an earlier attempt is `replayed`: the caller returns its recorded value.
 */
export function openStep(
  siblings: StepRecord[],
  parent: StepRecord | undefined,
  title: string,
  total: number,
  used: WeakSet<StepRecord>,
): { step: StepRecord; replayed: boolean } {
  const match = siblings.find(
    (step) =>
      step.title === title &&
      !used.has(step) &&
      (step.status === 'NotStarted' || (step.status === 'Succeeded' && step.checkpointed === true)),
  );
  if (match) {
    used.add(match);
    return { step: match, replayed: match.status === 'Succeeded' };
  }
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
  used.add(step);
  return { step, replayed: false };
}
