import type { Command } from 'commander';
import { cancelCommand } from './cancel.js';
import { ENV_HELP } from './client-options.js';
import { EXIT_CODES_HELP } from './command-errors.js';
import { getCommand } from './get.js';
import { listCommand } from './list.js';
import { resultCommand } from './result.js';
import { startCommand } from './start.js';
import { watchCommand } from './watch.js';

export { exitTwoOnUsageErrors } from './command-errors.js';

/** The end of `longrun --help`: examples across the commands, the environment, the exit codes. */
export const PROGRAM_HELP = `
Examples:
  $ longrun serve --demo                                    demo API on http://127.0.0.1:8080
  $ export LONGRUN_URL=http://127.0.0.1:8080
  $ longrun start reports --data '{"items": 75}' --wait     start one and watch it to the end
  $ longrun ls --status running                             what is running now
  $ longrun result 01a2037fc538NEQtNIZ5rJBNZU5efbZ7bw       its result, once done

Run longrun <command> --help for each command's options and examples.
${EXIT_CODES_HELP}
${ENV_HELP}`;

/** The commands that talk to a server through longrun/client (none of them opens a store). */
export function clientCommands(): Command[] {
  return [
    startCommand(),
    watchCommand(),
    listCommand(),
    getCommand(),
    cancelCommand(),
    resultCommand(),
  ];
}
