// The few ANSI escape sequences the live view needs (ECMA-48 / xterm), and text measurement that
// skips them, so lines can be cut to the terminal's width without breaking a colour sequence.

const ESC = '\x1b[';

export const ansi = {
  hideCursor: `${ESC}?25l`,
  showCursor: `${ESC}?25h`,
  /** Erase from the cursor to the end of the line. */
  eraseLineEnd: `${ESC}K`,
  /** Erase from the cursor to the end of the screen. */
  eraseDown: `${ESC}J`,
  /** Moves the cursor to column 1, `lines` lines up. */
  up: (lines: number) => (lines > 0 ? `\r${ESC}${lines}A` : '\r'),
  /** Synchronized output (terminals that lack it ignore it): the frame appears at once. */
  beginFrame: `${ESC}?2026h`,
  endFrame: `${ESC}?2026l`,
  reset: `${ESC}0m`,
} as const;

export type Tone = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold';

const TONES: Record<Tone, string> = {
  green: '32',
  red: '31',
  yellow: '33',
  cyan: '36',
  dim: '2',
  bold: '1',
};

/** Paints text in a tone, or returns it as it is when colour is off. */
export type Painter = (tone: Tone, text: string) => string;

export const plain: Painter = (_tone, text) => text;

export const colored: Painter = (tone, text) =>
  text === '' ? text : `${ESC}${TONES[tone]}m${text}${ansi.reset}`;

// CSI sequences: ESC [ parameters intermediates final byte.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point.
const SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]/y;

/** The number of columns a line takes: characters outside escape sequences (one column each). */
export function visibleLength(line: string): number {
  return [...stripAnsi(line)].length;
}

export function stripAnsi(text: string): string {
  return text.replace(new RegExp(SEQUENCE.source, 'g'), '');
}

/**
 * Cuts a line to `width` visible columns (ending with `…` when cut), keeping every escape sequence,
 * so a colour opened before the cut is still closed.
 */
export function fitWidth(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let out = '';
  let shown = 0;
  let index = 0;
  while (index < line.length) {
    SEQUENCE.lastIndex = index;
    const sequence = SEQUENCE.exec(line);
    if (sequence) {
      out += sequence[0];
      index += sequence[0].length;
      continue;
    }
    const char = String.fromCodePoint(line.codePointAt(index)!);
    index += char.length;
    if (shown < width - 1) out += char;
    else if (shown === width - 1) out += '…';
    shown++;
  }
  return out;
}
