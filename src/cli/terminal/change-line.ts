import type { OperationSnapshot } from '../../client/index.js';
import { activeStepPath, countText, overallPercent } from './operation-summary.js';
import { percentText } from './progress-bar.js';

/**
 * A snapshot as one JSON line: the client's normalised OperationSnapshot (the same shape whatever the
 * server's dialect) with the operation's URL first and without the raw `body`.
 */
export function snapshotJson(url: string, snapshot: OperationSnapshot): string {
  const { body: _body, ...rest } = snapshot;
  return JSON.stringify({ url, ...rest });
}

/** The first line of the readable output: what is being watched. */
export function headingLine(url: string, snapshot: OperationSnapshot): string {
  const what = snapshot.title ?? snapshot.id ?? url;
  return `${what}${snapshot.kind ? ` (${snapshot.kind})` : ''} ${url}`;
}

/**
 * A snapshot as one readable line, without the time: status, percent, n/m, the running step and the
 * message. `Running     42%  2/4 steps · Booting · Waiting for the VM`
 */
export function changeLine(snapshot: OperationSnapshot): string {
  const details = [
    countText(snapshot),
    activeStepPath(snapshot.steps),
    snapshot.message,
    snapshot.cancelRequested && !snapshot.done ? 'cancel requested' : undefined,
  ].filter((part) => part !== undefined && part !== '');
  const head = `${snapshot.status.padEnd(10)} ${percentText(overallPercent(snapshot))}`;
  return details.length > 0 ? `${head}  ${details.join(' · ')}` : head;
}

/** Prints one line per change to a non-terminal stream (JSON lines with `json`). */
export class ChangePrinter {
  readonly #write: (line: string) => void;
  readonly #url: string;
  readonly #json: boolean;
  #last: string | undefined;

  constructor(write: (line: string) => void, url: string, json: boolean) {
    this.#write = write;
    this.#url = url;
    this.#json = json;
  }

  update(snapshot: OperationSnapshot): void {
    if (this.#json) {
      this.#write(snapshotJson(this.#url, snapshot));
      return;
    }
    if (this.#last === undefined) this.#write(headingLine(this.#url, snapshot));
    const line = changeLine(snapshot);
    if (line === this.#last) return;
    this.#last = line;
    this.#write(`${new Date().toISOString().slice(11, 19)} ${line}`);
  }

  close(): void {}
}
