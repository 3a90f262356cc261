import {
  OperationCanceledError,
  OperationFailedError,
  type OperationHandle,
  type OperationSnapshot,
  ProtocolError,
} from '../../client/index.js';
import { colored, plain } from '../terminal/ansi.js';
import { ChangePrinter } from '../terminal/change-line.js';
import { LiveView } from '../terminal/live-view.js';
import { wantsColor } from './client-options.js';
import { EXIT } from './command-errors.js';

export interface WatchOutputOptions {
  json?: boolean;
}

const printLine = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Watches an operation to its end through the client: a live view on a terminal, else one line per
 * change (JSON lines with `json`). Resolves with 0 when it succeeded; rejects with the client's
 * OperationFailedError or OperationCanceledError (exit 1) or its HTTP, network or protocol error
 * (exit 2). Ctrl-C restores the terminal and exits 130; the operation goes on.
 */
export async function watchToEnd(
  handle: OperationHandle,
  options: WatchOutputOptions,
): Promise<number> {
  const out = process.stdout;
  const printer =
    out.isTTY && !options.json
      ? new LiveView(out, handle.url, wantsColor(out) ? colored : plain)
      : new ChangePrinter(printLine, handle.url, options.json === true);
  const onInterrupt = () => {
    printer.close();
    process.stderr.write(
      `longrun: stopped watching; the operation goes on (longrun cancel ${handle.url} cancels it)\n`,
    );
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', onInterrupt);
  let last: OperationSnapshot | undefined;
  try {
    for await (const snapshot of handle.snapshots()) {
      last = snapshot;
      printer.update(snapshot);
    }
  } finally {
    printer.close();
    process.off('SIGINT', onInterrupt);
  }
  return outcome(handle.url, last);
}

/** 0 for Succeeded; the client's typed error for Failed and Canceled. */
export function outcome(url: string, snapshot: OperationSnapshot | undefined): number {
  if (snapshot?.status === 'Succeeded') return EXIT.ok;
  if (snapshot?.status === 'Failed') throw new OperationFailedError(url, snapshot);
  if (snapshot?.status === 'Canceled') throw new OperationCanceledError(url, snapshot);
  throw new ProtocolError(
    `The watch of ${url} ended before the operation did (last status: ${snapshot?.status ?? 'none'}).`,
    url,
  );
}
