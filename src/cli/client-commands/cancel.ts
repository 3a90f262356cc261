import { Command } from 'commander';
import { HttpError, type OperationHandle, type OperationSnapshot } from '../../client/index.js';
import {
  addClientOptions,
  type ClientCliOptions,
  clientFrom,
  ENV_HELP,
  targetUrl,
} from './client-options.js';
import { EXIT, EXIT_CODES_HELP, runAction } from './command-errors.js';

/** Asks for the cancel; a 409 (it finished meanwhile) resolves with the finished state instead. */
async function requestCancel(handle: OperationHandle): Promise<OperationSnapshot | undefined> {
  try {
    return (await handle.cancel()) ?? handle.snapshot;
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 409)) throw error;
    const latest = await handle.refresh();
    if (!latest.done) throw error;
    return latest;
  }
}

async function cancel(url: string, options: ClientCliOptions): Promise<number> {
  const handle = clientFrom(options).operation(targetUrl(url, options, 'operation'));
  const before = await handle.refresh();
  const after = before.done ? before : await requestCancel(handle);
  const status = after?.status ?? 'Canceling';
  if (status === 'Succeeded' || status === 'Failed') {
    process.stderr.write(
      `longrun: ${handle.url} already ${status}; only an unfinished operation can be canceled.\n`,
    );
    return EXIT.operationFailed;
  }
  const note =
    status === 'Canceled'
      ? ''
      : ` (it stops at its next checkpoint; longrun watch ${handle.url} follows it)`;
  process.stdout.write(`${status}${note}\n`);
  return EXIT.ok;
}

export function cancelCommand(): Command {
  return addClientOptions(
    new Command('cancel')
      .description('Ask the server to cancel an operation, and print the status it answers.')
      .argument('<operation>', 'operation URL, a path under --base-url, or an id from longrun ls'),
  )
    .addHelpText(
      'after',
      `
Prints Canceled (it had not started, or stopped at once) or Canceling (it stops at its next
checkpoint). Canceling one already canceled is fine (exit 0); one that already succeeded or failed
exits 1. It uses the operation's cancel link, else POST <status monitor>:cancel (Azure, Google).

Examples:
  $ longrun cancel http://127.0.0.1:8080/operations/01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw
  $ longrun cancel "$URL" && longrun watch "$URL"    # watch then exits 1, Canceled
${EXIT_CODES_HELP}
${ENV_HELP}`,
    )
    .action(runAction(cancel));
}
