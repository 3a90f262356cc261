import { type Command, InvalidArgumentError } from 'commander';
import { createDemo, type Demo } from '../demo/index.js';
import type { LongrunEventListener } from '../events.js';
import { eventLine } from './event-printer.js';
import { loadOperations, selectKinds } from './load-operations.js';
import { parsePositiveInteger, parsePositiveNumber } from './option-parsers.js';

/** Options shared by the processes that open a store and run operations: serve and worker. */
export interface ProcessOptions {
  db: string;
  schema?: string;
  migrate: boolean;
  operations?: string;
  demo: boolean;
  demoSpeed: number;
  kinds?: string[];
  concurrency: number;
  leaseMs: number;
  graceMs: number;
  verbose: boolean;
}

const parseKinds = (value: string) =>
  value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);

export function addProcessOptions(command: Command): Command {
  return command
    .option('--db <path|url>', 'SQLite file, or postgres://user@host:5432/db', './data/longrun.db')
    .option('--schema <name>', 'PostgreSQL schema of longrun’s tables (default longrun)')
    .option('--no-migrate', 'do not apply pending migrations at start-up (see longrun migrate)')
    .option('--operations <module>', 'JS module exporting operation definitions (defineOperation)')
    .option('--demo', 'the demo operations (reports, lifecycle projects, VM deployments)', false)
    .option(
      '--demo-speed <factor>',
      'run demo timings this many times faster',
      parsePositiveNumber,
      1,
    )
    .option('--kinds <a,b>', 'run only these operation kinds', parseKinds)
    .option('--concurrency <n>', 'operations run at once by this process', parsePositiveInteger, 16)
    .option(
      '--lease-ms <ms>',
      'worker lease; a dead process’s work restarts after it',
      parsePositiveInteger,
      15_000,
    )
    .option(
      '--grace-ms <ms>',
      'on SIGINT/SIGTERM, how long running operations may finish',
      parsePositiveInteger,
      10_000,
    )
    .option('-v, --verbose', 'print every operation start, not only finishes', false);
}

/** The operations (and, for the demo, its routes) a process serves or runs. */
export async function chosenOperations(options: ProcessOptions): Promise<Demo> {
  if (options.demo && options.operations) {
    throw new InvalidArgumentError('Choose either --demo or --operations, not both.');
  }
  const chosen = options.demo
    ? createDemo({ speed: options.demoSpeed })
    : options.operations
      ? await loadOperations(options.operations)
      : { operations: [], routes: [] };
  return { operations: selectKinds(chosen.operations, options.kinds), routes: chosen.routes };
}

/** Prints the events worth a person's attention, one line each. */
export function eventPrinter(verbose: boolean): LongrunEventListener {
  return (event) => {
    const line = eventLine(event, verbose);
    if (line) console.log(line);
  };
}
