/** One row of the result table: a baseline and longrun, their ratio, and the target if any. */
export interface Row {
  label: string;
  baseline: number | undefined;
  longrun: number | undefined;
  /**
   * The longrun/baseline ratio the issue asks for (printed, never asserted): a minimum, or for a
   * lowerIsBetter row a maximum.
   */
  target?: number;
  /** Lower is better (latencies): the ratio is still longrun/baseline. */
  lowerIsBetter?: boolean;
  /** Shown instead of numbers when the row could not be measured. */
  skipped?: string;
  digits?: number;
}

function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function ratioOf(row: Row): number | undefined {
  if (row.baseline === undefined || row.longrun === undefined || !(row.baseline > 0))
    return undefined;
  return row.longrun / row.baseline;
}

function targetText(row: Row): string {
  if (row.target === undefined) return '—';
  return `${row.lowerIsBetter ? '<=' : '>='} ${row.target.toFixed(2)}`;
}

function targetMet(row: Row, target: number, ratio: number): boolean {
  return row.lowerIsBetter ? ratio <= target : ratio >= target;
}

/** The markdown table `npm run bench` prints. Targets missed are marked, never turned into failures. */
export function renderTable(rows: readonly Row[]): string {
  const lines = [
    '| measure | baseline | longrun | longrun / baseline | target | met |',
    '|---|---:|---:|---:|---:|:---:|',
  ];
  for (const row of rows) {
    if (row.skipped) {
      lines.push(
        `| ${row.label} | skipped: ${row.skipped} | ${fmt(row.longrun, row.digits)} | — | ${targetText(row)} | — |`,
      );
      continue;
    }
    const ratio = ratioOf(row);
    const met =
      row.target === undefined || ratio === undefined
        ? '—'
        : targetMet(row, row.target, ratio)
          ? 'yes'
          : 'NO';
    const ratioText =
      ratio === undefined
        ? '—'
        : `${ratio.toFixed(2)}${row.lowerIsBetter ? ' (lower is better)' : ''}`;
    lines.push(
      `| ${row.label} | ${fmt(row.baseline, row.digits)} | ${fmt(row.longrun, row.digits)} | ${ratioText} | ${targetText(row)} | ${met} |`,
    );
  }
  return lines.join('\n');
}
