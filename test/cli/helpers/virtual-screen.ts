/**
 * A tiny terminal emulator for tests: applies text, CR, LF and the CSI sequences the live view uses
 * (cursor up `A`, erase line `K`, erase down `J`, SGR colours and modes ignored) to a grid of lines,
 * so a test can read the screen a person would see after the last frame.
 */
export class VirtualScreen {
  readonly lines: string[] = [''];
  #row = 0;
  #column = 0;
  /** Count of each CSI command seen, e.g. `A` (cursor up), `?25l` (hide cursor). */
  readonly seen = new Map<string, number>();

  write(data: string): void {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: parsing escape sequences is the point.
    const sequence = /\x1b\[([0-?]*)([ -/]*)([@-~])/y;
    let index = 0;
    while (index < data.length) {
      sequence.lastIndex = index;
      const match = sequence.exec(data);
      if (match) {
        this.#control(match[1]!, match[3]!);
        index += match[0].length;
        continue;
      }
      const char = String.fromCodePoint(data.codePointAt(index)!);
      index += char.length;
      if (char === '\r') this.#column = 0;
      else if (char === '\n') this.#moveTo(this.#row + 1);
      else this.#put(char);
    }
  }

  /** The screen's text, trailing blank lines dropped. */
  get text(): string {
    return this.lines.join('\n').trimEnd();
  }

  #control(parameters: string, final: string): void {
    const key = parameters.startsWith('?') ? `${parameters}${final}` : final;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    if (final === 'A') this.#row = Math.max(0, this.#row - Number(parameters || 1));
    else if (final === 'K')
      this.lines[this.#row] = [...this.#line()].slice(0, this.#column).join('');
    else if (final === 'J') {
      this.lines[this.#row] = [...this.#line()].slice(0, this.#column).join('');
      this.lines.length = this.#row + 1;
    }
  }

  #line(): string {
    return this.lines[this.#row] ?? '';
  }

  #moveTo(row: number): void {
    this.#row = row;
    while (this.lines.length <= row) this.lines.push('');
  }

  #put(char: string): void {
    const chars = [...this.#line()];
    while (chars.length < this.#column) chars.push(' ');
    chars[this.#column] = char;
    this.lines[this.#row] = chars.join('');
    this.#column++;
  }
}
