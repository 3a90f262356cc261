import type { OperationSnapshot, OperationStatus } from '../../client/index.js';
import { fitWidth, type Painter, type Tone } from './ansi.js';
import {
  countText,
  elapsedSeconds,
  outcomeText,
  overallPercent,
  remainingSeconds,
} from './operation-summary.js';
import { durationText, percentText, progressBar } from './progress-bar.js';
import { renderSteps, SPINNER } from './step-tree.js';

/** Everything one frame of the live view depends on; rendering is a pure function of it. */
export interface ViewState {
  /** The operation's URL, shown until the first snapshot arrives. */
  url: string;
  snapshot: OperationSnapshot | undefined;
  /** Clock of this frame, when the snapshot arrived and when the watch began (epoch ms). */
  now: number;
  receivedAt: number;
  watchedSince: number;
  /** Terminal size: every line fits in `width`, and the frame in `height - 1` lines. */
  width: number;
  height: number;
  /** Spinner frame, advanced by the view's ticker. */
  frame: number;
  paint: Painter;
}

const STATUS_TONES: Record<OperationStatus, Tone> = {
  NotStarted: 'dim',
  Running: 'cyan',
  Canceling: 'yellow',
  Succeeded: 'green',
  Failed: 'red',
  Canceled: 'yellow',
};

function statusLine(snapshot: OperationSnapshot, width: number, paint: Painter): string {
  const percent = overallPercent(snapshot);
  const count = countText(snapshot);
  const barWidth = Math.max(10, Math.min(40, width - 36));
  const status = paint(STATUS_TONES[snapshot.status], snapshot.status.padEnd(10));
  const bar = paint(STATUS_TONES[snapshot.status], progressBar((percent ?? 0) / 100, barWidth));
  const cancel =
    snapshot.cancelRequested && !snapshot.done ? paint('yellow', '  cancel requested') : '';
  return `${status} ${bar} ${percentText(percent)}${count ? `  ${count}` : ''}${cancel}`;
}

function timeLine(view: ViewState, snapshot: OperationSnapshot): string {
  const elapsed = durationText(elapsedSeconds(snapshot, view.now, view.watchedSince));
  if (snapshot.done) return view.paint('dim', `took ${elapsed}`);
  const left = remainingSeconds(snapshot, view.now, view.receivedAt);
  const estimate = left === undefined ? '' : ` · about ${durationText(left)} left`;
  return view.paint('dim', `elapsed ${elapsed}${estimate}`);
}

/**
 * One frame of `longrun watch` on a terminal:
 *
 *     Deploy a VM from debian-12  vm.deploy
 *     Running    ████████████░░░░░░░░░░░░░░░░░░   50%  2/4 steps
 *     elapsed 1.4s · about 2.0s left
 *       ✔ Reserving capacity
 *       ✔ Creating disk
 *       ⠹ Booting                ██████░░░░░░░░░░  40%
 *       · Configuring network
 */
export function renderOperation(view: ViewState): string[] {
  const { snapshot, paint, width } = view;
  const fit = (line: string) => fitWidth(line, Math.max(20, width));
  if (!snapshot) {
    return [fit(`${paint('cyan', SPINNER[view.frame % SPINNER.length]!)} Watching ${view.url}…`)];
  }
  const heading = snapshot.title ?? snapshot.id ?? view.url;
  const kind = snapshot.kind && snapshot.kind !== heading ? paint('dim', `  ${snapshot.kind}`) : '';
  const lines = [`${paint('bold', heading)}${kind}`, statusLine(snapshot, width, paint)];
  if (snapshot.message) lines.push(snapshot.message);
  lines.push(timeLine(view, snapshot));
  if (snapshot.status === 'Failed' || snapshot.status === 'Canceled') {
    lines.push(paint(STATUS_TONES[snapshot.status], outcomeText(snapshot)));
  }
  const budget = Math.max(3, view.height - 1 - lines.length);
  const steps = snapshot.steps ?? [];
  if (steps.length > 0) {
    lines.push(...renderSteps(steps, { budget, width, frame: view.frame, paint }));
  }
  return lines.map(fit);
}
