import type { StepSnapshot } from '../../client/index.js';
import type { Painter, Tone } from './ansi.js';
import { indeterminateBar, percentText, progressBar } from './progress-bar.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const GLYPHS: Record<string, [string, Tone]> = {
  Succeeded: ['✔', 'green'],
  Failed: ['✖', 'red'],
  Canceled: ['⊘', 'yellow'],
  Canceling: ['⊘', 'yellow'],
  Skipped: ['↷', 'dim'],
  NotStarted: ['·', 'dim'],
};

interface StepRow {
  step: StepSnapshot;
  depth: number;
}

const isOpen = (step: StepSnapshot) => step.status === 'Running' || step.status === 'Failed';

function flatten(steps: readonly StepSnapshot[], depth: number, all: boolean): StepRow[] {
  const rows: StepRow[] = [];
  for (const step of steps) {
    rows.push({ step, depth });
    if (step.steps && (all || isOpen(step))) rows.push(...flatten(step.steps, depth + 1, all));
  }
  return rows;
}

/**
 * The rows that fit in `budget` lines: the whole tree when it fits; else only the sub-steps of running
 * and failed steps; else a window around the first of those, with `… n more` marks for the rest.
 */
function visibleRows(steps: readonly StepSnapshot[], budget: number): (StepRow | string)[] {
  const full = flatten(steps, 0, true);
  if (full.length <= budget) return full;
  const rows = flatten(steps, 0, false);
  if (rows.length <= budget) return rows;
  const room = Math.max(1, budget - 2);
  const focus = Math.max(
    0,
    rows.findIndex((row) => isOpen(row.step)),
  );
  const start = Math.min(Math.max(0, focus - Math.floor(room / 3)), rows.length - room);
  const end = start + room;
  return [
    ...(start > 0 ? [`… ${start} more above`] : []),
    ...rows.slice(start, end),
    ...(end < rows.length ? [`… ${rows.length - end} more`] : []),
  ];
}

function stepPercent(step: StepSnapshot): number | undefined {
  if (step.percentComplete !== undefined) return step.percentComplete;
  const progress = step.progress;
  return progress?.total ? (100 * progress.completed) / progress.total : undefined;
}

/**
 * What follows a step's title: while it runs, a bar (sliding when the step tells no percent), the
 * percent, n/m and its message; the error code if it failed.
 */
function stepDetail(step: StepSnapshot, frame: number, paint: Painter): string {
  if (step.status === 'Failed') return step.error ? paint('red', step.error.code) : '';
  if (step.status !== 'Running') return '';
  const percent = stepPercent(step);
  const parts =
    percent === undefined
      ? [paint('cyan', indeterminateBar(frame, 16))]
      : [progressBar(percent / 100, 16), percentText(percent)];
  if (step.progress) {
    const { completed, total, unit } = step.progress;
    parts.push(`${completed}${total === undefined ? '' : `/${total}`}${unit ? ` ${unit}` : ''}`);
  }
  if (step.message) parts.push(paint('dim', step.message));
  return parts.join(' ');
}

/** The step tree as indented lines: a glyph per status, a bar for each running step. */
export function renderSteps(
  steps: readonly StepSnapshot[],
  options: { budget: number; width: number; frame: number; paint: Painter },
): string[] {
  const { paint } = options;
  const rows = visibleRows(steps, options.budget);
  const label = (row: StepRow) => `${'  '.repeat(row.depth + 1)}  ${row.step.title}`;
  const labelWidths = rows.map((row) => (typeof row === 'string' ? 0 : [...label(row)].length));
  const column = Math.min(Math.max(0, ...labelWidths), Math.floor(options.width / 2));
  return rows.map((row) => {
    if (typeof row === 'string') return paint('dim', `  ${row}`);
    const { step, depth } = row;
    const [glyph, tone] =
      step.status === 'Running'
        ? [SPINNER[options.frame % SPINNER.length]!, 'cyan' as const]
        : (GLYPHS[step.status] ?? ['?', 'dim' as const]);
    const title = step.status === 'NotStarted' ? paint('dim', step.title) : step.title;
    const padding = ' '.repeat(Math.max(0, column - [...label(row)].length));
    const detail = stepDetail(step, options.frame, paint);
    const line = `${'  '.repeat(depth + 1)}${paint(tone, glyph)} ${title}`;
    return detail ? `${line}${padding}  ${detail}` : line;
  });
}
