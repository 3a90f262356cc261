#!/usr/bin/env node
import { Command } from 'commander';
import { clientCommands, exitTwoOnUsageErrors, PROGRAM_HELP } from './client-commands/index.js';
import { doctorCommand } from './commands/doctor.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { workerCommand } from './commands/worker.js';

const program = new Command('longrun')
  .description('Long-running HTTP operations: 202 Accepted, progress, cancel and results.')
  .showHelpAfterError('(run with --help for usage)')
  .addCommand(serveCommand())
  .addCommand(workerCommand())
  .addCommand(migrateCommand())
  .addCommand(doctorCommand())
  .addHelpText('after', PROGRAM_HELP);
for (const command of clientCommands()) program.addCommand(command);
exitTwoOnUsageErrors(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`longrun: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
