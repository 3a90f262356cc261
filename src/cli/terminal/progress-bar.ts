/** Eighths of a cell, so a bar moves smoothly even when it is narrow. */
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `width` cells wide, filled to `fraction` (0..1); `undefined` draws an empty track. */
export function progressBar(fraction: number | undefined, width: number): string {
  if (width <= 0) return '';
  const clamped = Math.min(1, Math.max(0, fraction ?? 0));
  const eighths = Math.round(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIAL[eighths % 8]!;
  const empty = width - full - (partial ? 1 : 0);
  return '█'.repeat(full) + partial + '░'.repeat(empty);
}

/** A bar for work of unknown size: a short block sliding back and forth, one cell per frame. */
export function indeterminateBar(frame: number, width: number): string {
  const block = Math.min(4, width);
  const travel = width - block;
  if (travel <= 0) return '█'.repeat(block);
  const step = frame % (2 * travel);
  const at = step <= travel ? step : 2 * travel - step;
  return '░'.repeat(at) + '█'.repeat(block) + '░'.repeat(travel - at);
}

/** `  7%`, ` 42%`, `100%`: whole percents, right-aligned; `  –%` when unknown. */
export function percentText(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return '  –%';
  const whole = Math.min(100, Math.max(0, Math.floor(percent)));
  return `${String(whole).padStart(3)}%`;
}

/** `0.4s`, `42.5s`, `1m 05s`, `2h 03m`. */
export function durationText(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 59.95) return `${s.toFixed(1)}s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  const minutes = Math.floor(whole / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
