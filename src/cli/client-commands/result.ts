import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  addClientOptions,
  type ClientCliOptions,
  clientFrom,
  ENV_HELP,
  targetUrl,
} from './client-options.js';
import { EXIT, EXIT_CODES_HELP, runAction } from './command-errors.js';

interface ResultOptions extends ClientCliOptions {
  output?: string;
}

/** JSON pretty-printed, text as it is, nothing for an empty result (a 204, a DELETE). */
function resultText(result: unknown): string {
  if (result === undefined) return '';
  if (typeof result === 'string') return result.endsWith('\n') ? result : `${result}\n`;
  return `${JSON.stringify(result, null, 2)}\n`;
}

async function result(url: string, options: ResultOptions): Promise<number> {
  const handle = clientFrom(options).operation(targetUrl(url, options, 'operation'));
  const text = resultText(await handle.wait());
  if (options.output === undefined) process.stdout.write(text);
  else await writeFile(options.output, text);
  return EXIT.ok;
}

export function resultCommand(): Command {
  return addClientOptions(
    new Command('result')
      .description(
        'Wait for an operation to finish and print its result (exit 1, with its error, when it failed or was canceled).',
      )
      .argument('<operation>', 'operation URL, a path under --base-url, or an id from longrun ls')
      .option('-o, --output <file>', 'write the result to a file instead of standard output'),
  )
    .addHelpText(
      'after',
      `
The result is read where the server keeps it (longrun's result link, Azure's resourceLocation, the
resource itself after a PUT, a Google operation's response). JSON is pretty-printed; text is printed
as it is. It waits quietly while the operation runs; longrun watch shows the progress.

Examples:
  $ longrun result http://127.0.0.1:8080/operations/01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw
  $ longrun result "$URL" --output report.json
  $ longrun result "$URL" | jq .checksum
${EXIT_CODES_HELP}
${ENV_HELP}`,
    )
    .action(runAction(result));
}
