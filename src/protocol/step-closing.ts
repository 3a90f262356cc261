import type { StepRecord } from '../store/store.js';

/** Closes every step still open when the operation ends; NotStarted steps are Skipped on success. */
export function closeOpenSteps(
  steps: readonly StepRecord[],
  ending: 'Succeeded' | 'Failed' | 'Canceled',
  now: number,
): void {
  for (const step of steps) {
    if (step.steps) closeOpenSteps(step.steps, ending, now);
    if (step.status === 'Running') {
      step.status = ending === 'Succeeded' ? 'Succeeded' : ending;
      step.endTime = now;
    } else if (step.status === 'NotStarted' && ending === 'Succeeded') {
      step.status = 'Skipped';
    }
  }
}
