import type { OperationSnapshot } from '../../client/index.js';
import { ansi, type Painter } from './ansi.js';
import { renderOperation } from './render-operation.js';

/** The part of a TTY write stream the view uses (process.stdout, or a fake in tests). */
export interface TerminalStream {
  write(text: string): unknown;
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

const TICK_MS = 125;

/**
 * The live view of one operation on a terminal, redrawn in place: each frame moves the cursor back to
 * the frame's first line and overwrites it line by line (erasing each line's tail and whatever is left
 * below), in one write, so nothing flickers. The cursor is hidden while the view runs and shown again
 * by `close()`, and on process exit whatever the reason.
 */
export class LiveView {
  readonly #out: TerminalStream;
  readonly #url: string;
  readonly #paint: Painter;
  readonly #watchedSince = Date.now();
  readonly #timer: ReturnType<typeof setInterval>;
  #snapshot: OperationSnapshot | undefined;
  #receivedAt = 0;
  #frame = 0;
  #drawnLines = 0;
  #drawn = '';
  #open = true;

  constructor(out: TerminalStream, url: string, paint: Painter) {
    this.#out = out;
    this.#url = url;
    this.#paint = paint;
    out.write(ansi.hideCursor);
    out.on('resize', this.#redraw);
    process.once('exit', this.#restoreCursor);
    this.#timer = setInterval(() => {
      this.#frame++;
      this.#draw();
    }, TICK_MS);
    this.#draw();
  }

  update(snapshot: OperationSnapshot): void {
    this.#snapshot = snapshot;
    this.#receivedAt = Date.now();
    this.#draw();
  }

  /** Draws the last frame, leaves the cursor below it, visible. Safe to call twice. */
  close(): void {
    if (!this.#open) return;
    this.#draw();
    this.#open = false;
    clearInterval(this.#timer);
    this.#out.off('resize', this.#redraw);
    process.off('exit', this.#restoreCursor);
    this.#out.write(ansi.showCursor);
  }

  readonly #redraw = () => {
    this.#drawn = '';
    this.#draw();
  };

  readonly #restoreCursor = () => {
    this.#out.write(ansi.showCursor);
  };

  #draw(): void {
    if (!this.#open) return;
    const lines = renderOperation({
      url: this.#url,
      snapshot: this.#snapshot,
      now: Date.now(),
      receivedAt: this.#receivedAt,
      watchedSince: this.#watchedSince,
      // One column spare: a line filling the last column would leave the cursor in a wrap state.
      width: (this.#out.columns || 80) - 1,
      height: this.#out.rows || 24,
      frame: this.#frame,
      paint: this.#paint,
    });
    const body = lines.map((line) => `${line}${ansi.eraseLineEnd}\n`).join('');
    if (body === this.#drawn) return;
    const back = this.#drawnLines > 0 ? ansi.up(this.#drawnLines) : '';
    this.#out.write(`${ansi.beginFrame}${back}${body}${ansi.eraseDown}${ansi.endFrame}`);
    this.#drawn = body;
    this.#drawnLines = lines.length;
  }
}
