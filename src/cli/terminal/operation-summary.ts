import type { OperationSnapshot, StepSnapshot } from '../../client/index.js';

// What the live view and the one-line output both say about a snapshot, computed the same way.

const STEP_DONE = new Set(['Succeeded', 'Skipped']);

/** The operation's percent: as the server says, else from its n/m progress or its finished steps. */
export function overallPercent(snapshot: OperationSnapshot): number | undefined {
  if (snapshot.percentComplete !== undefined) return snapshot.percentComplete;
  const { progress, steps } = snapshot;
  if (progress?.total) return (100 * progress.completed) / progress.total;
  if (steps && steps.length > 0) {
    return (100 * steps.filter((step) => STEP_DONE.has(step.status)).length) / steps.length;
  }
  if (snapshot.status === 'NotStarted') return 0;
  return snapshot.status === 'Succeeded' ? 100 : undefined;
}

/** `21/75 items`, `3 files`, or `2/4 steps`; undefined when the server counts nothing. */
export function countText(snapshot: OperationSnapshot): string | undefined {
  const { progress, steps } = snapshot;
  if (progress) {
    const unit = progress.unit ? ` ${progress.unit}` : '';
    const total = progress.total === undefined ? '' : `/${progress.total}`;
    return `${progress.completed}${total}${unit}`;
  }
  if (steps && steps.length > 0) {
    return `${steps.filter((step) => STEP_DONE.has(step.status)).length}/${steps.length} steps`;
  }
  return undefined;
}

/** Titles from the top to the deepest running step: `Creating test project › Applying template`. */
export function activeStepPath(steps: readonly StepSnapshot[] | undefined): string | undefined {
  const running = steps?.find((step) => step.status === 'Running');
  if (!running) return undefined;
  const below = activeStepPath(running.steps);
  return below ? `${running.title} › ${below}` : running.title;
}

const timeOf = (iso: string | undefined) => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * Seconds the operation has been going: from its creation (or, lacking that or with a server clock
 * ahead of ours, from when the watch began) to its last update once done, else to now.
 */
export function elapsedSeconds(snapshot: OperationSnapshot, now: number, watchedSince: number) {
  const created = timeOf(snapshot.createdDateTime);
  const start = Number.isNaN(created) || created > now ? watchedSince : created;
  const updated = timeOf(snapshot.lastUpdatedDateTime);
  const end = snapshot.done && !Number.isNaN(updated) ? updated : now;
  return Math.max(0, (end - start) / 1000);
}

/** Seconds left by the server's estimate, counted down since the snapshot arrived. */
export function remainingSeconds(
  snapshot: OperationSnapshot,
  now: number,
  receivedAt: number,
): number | undefined {
  if (snapshot.done) return undefined;
  if (snapshot.estimatedRemainingSeconds !== undefined) {
    return Math.max(0, snapshot.estimatedRemainingSeconds - (now - receivedAt) / 1000);
  }
  const eta = timeOf(snapshot.estimatedCompletionDateTime);
  return Number.isNaN(eta) ? undefined : Math.max(0, (eta - now) / 1000);
}

/** `DeploymentFailed: Step "Booting" failed…`, or the bare status when the server gave no error. */
export function outcomeText(snapshot: OperationSnapshot): string {
  const { error } = snapshot;
  return error ? `${error.code}: ${error.message}` : snapshot.status;
}
