import { Command } from 'commander';
import {
  addClientOptions,
  type ClientCliOptions,
  clientFrom,
  ENV_HELP,
  targetUrl,
} from './client-options.js';
import { EXIT_CODES_HELP, runAction } from './command-errors.js';
import { watchToEnd } from './watch-operation.js';

interface WatchOptions extends ClientCliOptions {
  json?: boolean;
}

async function watch(url: string, options: WatchOptions): Promise<number> {
  const handle = clientFrom(options).operation(targetUrl(url, options, 'operation'));
  return watchToEnd(handle, options);
}

export function watchCommand(): Command {
  return addClientOptions(
    new Command('watch')
      .description(
        'Follow an operation to its end: a live view of its steps and progress on a terminal, one line per change otherwise.',
      )
      .argument('<operation>', 'operation URL, a path under --base-url, or an id from longrun ls')
      .option('--json', 'print each change as one JSON line (an OperationSnapshot with its url)'),
  )
    .addHelpText(
      'after',
      `
On a terminal the view is redrawn in place: title and kind, status, overall bar with percent and n/m,
the message, elapsed time and the server's estimate, then the step tree with a bar per running step.
When stdout is not a terminal (a pipe, a file, CI logs), or with --json, it prints one line per change.
Events arrive over SSE when the server offers them, else by long-poll, else by polling.

Examples:
  $ longrun watch http://127.0.0.1:8080/operations/01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw
  $ LONGRUN_URL=http://127.0.0.1:8080 longrun watch 01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw
  $ longrun watch "$URL" > progress.log && echo succeeded
  $ longrun watch "$URL" --json | jq -r .percentComplete
${EXIT_CODES_HELP}
${ENV_HELP}`,
    )
    .action(runAction(watch));
}
