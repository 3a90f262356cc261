import { Command } from 'commander';
import { colored, plain } from '../terminal/ansi.js';
import { snapshotJson } from '../terminal/change-line.js';
import { renderOperation } from '../terminal/render-operation.js';
import {
  addClientOptions,
  type ClientCliOptions,
  clientFrom,
  ENV_HELP,
  targetUrl,
  wantsColor,
} from './client-options.js';
import { EXIT, EXIT_CODES_HELP, runAction } from './command-errors.js';

interface GetOptions extends ClientCliOptions {
  json?: boolean;
}

async function get(url: string, options: GetOptions): Promise<number> {
  const handle = clientFrom(options).operation(targetUrl(url, options, 'operation'));
  const snapshot = await handle.refresh();
  if (options.json) {
    process.stdout.write(`${snapshotJson(handle.url, snapshot)}\n`);
    return EXIT.ok;
  }
  const now = Date.now();
  const lines = renderOperation({
    url: handle.url,
    snapshot,
    now,
    receivedAt: now,
    watchedSince: now,
    width: (process.stdout.columns || 100) - 1,
    height: Number.MAX_SAFE_INTEGER,
    frame: 0,
    paint: wantsColor(process.stdout) ? colored : plain,
  });
  process.stdout.write(`${[...lines, handle.url].join('\n')}\n`);
  return EXIT.ok;
}

export function getCommand(): Command {
  return addClientOptions(
    new Command('get')
      .description("Print an operation's current state once: status, progress, message and steps.")
      .argument('<operation>', 'operation URL, a path under --base-url, or an id from longrun ls')
      .option('--json', 'print it as one JSON line (an OperationSnapshot with its url)'),
  )
    .addHelpText(
      'after',
      `
It reads the operation once and exits 0 whatever its status; longrun watch follows it to the end.

Examples:
  $ longrun get http://127.0.0.1:8080/operations/01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw
  $ LONGRUN_URL=http://127.0.0.1:8080 longrun get 01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw --json | jq .status
${EXIT_CODES_HELP}
${ENV_HELP}`,
    )
    .action(runAction(get));
}
