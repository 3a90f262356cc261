import type { Command } from 'commander';
import {
  HttpError,
  isLongrunClientError,
  OperationCanceledError,
  OperationFailedError,
} from '../../client/index.js';

/**
 * Exit codes of the client commands (and of every usage error of the CLI):
 * 0 done (the operation succeeded), 1 the operation failed or was canceled, 2 a usage error, or the
 * server answered something the command cannot go on from (HTTP, network or protocol error).
 */
export const EXIT = { ok: 0, operationFailed: 1, usage: 2, interrupted: 130 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    done (for watch, start --wait and result: the operation succeeded)
  1    the operation failed or was canceled (its error code and message are printed)
  2    usage error (unknown flag, bad value), or an HTTP, network or protocol error
  130  interrupted (Ctrl-C): the watch stops, the operation goes on`;

/** A command line that parses but cannot be run: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function exitCodeOf(error: unknown): number {
  if (error instanceof OperationFailedError || error instanceof OperationCanceledError) {
    return EXIT.operationFailed;
  }
  return EXIT.usage;
}

function describe(error: unknown, command: Command): string {
  if (error instanceof OperationFailedError || error instanceof OperationCanceledError) {
    const { snapshot } = error;
    const url = snapshot.links?.self ?? snapshot.id ?? 'operation';
    const detail = error.error ? `: ${error.error.code}: ${error.error.message}` : '';
    return `${url} ${snapshot.status}${detail}`;
  }
  if (error instanceof UsageError) {
    return `${error.message}\n(run longrun ${command.name()} --help for usage)`;
  }
  if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
    return `${error.message}\n(pass --api-key KEY or set LONGRUN_API_KEY)`;
  }
  if (isLongrunClientError(error) || error instanceof Error) return error.message;
  return String(error);
}

/**
 * Wraps a command's action: its resolved number is the exit code; an error is printed on stderr as
 * `longrun: <message>` and exits 1 (operation failed or canceled) or 2 (everything else).
 */
export function runAction<Args extends unknown[]>(
  action: (...args: Args) => Promise<number>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    const command = args.at(-1) as Command;
    process.stdout.on('error', exitOnClosedPipe);
    try {
      process.exitCode = await action(...args);
    } catch (error) {
      process.stderr.write(`longrun: ${describe(error, command)}\n`);
      process.exitCode = exitCodeOf(error);
    }
  };
}

/** `longrun watch … | head -3`: once the reader is gone, stop quietly, as Unix tools do. */
function exitOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT.ok);
}

/**
 * Makes every usage error of `command` and its subcommands (unknown flag or command, missing or bad
 * argument) exit with code 2 after commander printed it, with a pointer to --help. Help and version
 * still exit 0.
 */
export function exitTwoOnUsageErrors(command: Command): Command {
  command.showHelpAfterError(`(run longrun ${commandPath(command)}--help for usage)`);
  command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });
  for (const sub of command.commands) exitTwoOnUsageErrors(sub);
  return command;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.map((name) => `${name} `).join('');
}
