import { Command } from 'commander';
import { createLongrun } from '../../longrun.js';
import { openStore } from '../../store/open-store.js';
import { onShutdownSignals } from '../../worker/shutdown.js';
import {
  addProcessOptions,
  chosenOperations,
  eventPrinter,
  type ProcessOptions,
} from '../process-options.js';
import { requireSharedDatabase } from '../shared-database.js';

async function work(options: ProcessOptions): Promise<void> {
  await requireSharedDatabase(
    options.db,
    'longrun worker',
    `run \`longrun serve --db ${options.db}\` alone (it runs the operations itself)`,
  );
  const { operations } = await chosenOperations(options);
  if (operations.length === 0) {
    throw new Error('A worker needs operations to run: pass --operations ./ops.js, or --demo.');
  }
  const longrun = createLongrun({
    store: await openStore(
      options.db,
      options.schema === undefined ? {} : { schema: options.schema },
    ),
    operations,
    migrate: options.migrate,
    worker: { concurrency: options.concurrency, leaseMs: options.leaseMs },
    onEvent: eventPrinter(options.verbose),
  });
  await longrun.start();
  onShutdownSignals(
    () => longrun.stop(options.graceMs),
    (line) => console.log(line),
  );
  const kinds = operations.map((operation) => operation.kind).join(', ');
  console.log(
    `longrun worker running ${kinds} (concurrency ${options.concurrency}, database: ${options.db})`,
  );
}

export function workerCommand(): Command {
  return addProcessOptions(
    new Command('worker').description(
      'Run operations from a shared database, with no HTTP API (scale out next to `longrun serve --workers 0`).',
    ),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ longrun worker --db postgres://postgres@127.0.0.1:5432/app --operations ./dist/operations.js
  $ longrun worker --db postgres://db.internal/app --demo --kinds report.generate --concurrency 64

The operations module exports definitions made with defineOperation() (named exports, or an array).
Signals: SIGINT/SIGTERM stop gracefully; a second signal exits at once.`,
    )
    .action(work);
}
