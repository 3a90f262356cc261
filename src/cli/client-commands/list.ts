import { Command, InvalidArgumentError } from 'commander';
import type { OperationSnapshot, OperationStatus } from '../../client/index.js';
import { OPERATION_STATUSES } from '../../protocol/operation-state.js';
import { parsePositiveInteger } from '../option-parsers.js';
import { snapshotJson } from '../terminal/change-line.js';
import { overallPercent } from '../terminal/operation-summary.js';
import { percentText } from '../terminal/progress-bar.js';
import {
  addClientOptions,
  type ClientCliOptions,
  clientFrom,
  ENV_HELP,
  targetUrl,
} from './client-options.js';
import { EXIT, EXIT_CODES_HELP, runAction, UsageError } from './command-errors.js';

interface ListCliOptions extends ClientCliOptions {
  status?: OperationStatus[];
  kind?: string[];
  limit: number;
  json?: boolean;
}

const split = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** `--status running,failed` (any case) -> ['Running', 'Failed']. */
function parseStatuses(value: string): OperationStatus[] {
  return split(value).map((part) => {
    const status = OPERATION_STATUSES.find((known) => known.toLowerCase() === part.toLowerCase());
    if (!status) {
      throw new InvalidArgumentError(
        `"${part}" is not a status: use ${OPERATION_STATUSES.join(', ')}.`,
      );
    }
    return status;
  });
}

/** One table row: id, status, percent, kind, created (UTC, to the second), title. */
function row(snapshot: OperationSnapshot): string[] {
  const created = snapshot.createdDateTime?.replace('T', ' ').slice(0, 19) ?? '';
  const percent = percentText(overallPercent(snapshot)).trim();
  const title = snapshot.title ?? '';
  return [snapshot.id ?? '', snapshot.status, percent, snapshot.kind ?? '', created, title];
}

function printTable(rows: string[][]): void {
  const header = ['ID', 'STATUS', '%', 'KIND', 'CREATED (UTC)', 'TITLE'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => cells[column]!.length)));
  for (const cells of all) {
    const line = cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
    process.stdout.write(`${line.trimEnd()}\n`);
  }
}

async function list(options: ListCliOptions): Promise<number> {
  if (options.baseUrl === undefined) {
    throw new UsageError(
      'ls reads <base URL>/operations: pass --base-url URL or set LONGRUN_URL (e.g. http://127.0.0.1:8080).',
    );
  }
  const operations = clientFrom(options).list({
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.kind === undefined ? {} : { kind: options.kind }),
    pageSize: Math.min(options.limit + 1, 100),
  });
  const rows: string[][] = [];
  let more = false;
  let count = 0;
  for await (const snapshot of operations) {
    if (count === options.limit) {
      more = true;
      break;
    }
    count++;
    if (options.json) {
      const url = snapshot.links?.self ?? targetUrl(snapshot.id ?? '', options, 'operation');
      process.stdout.write(`${snapshotJson(url, snapshot)}\n`);
    } else rows.push(row(snapshot));
  }
  if (!options.json) {
    if (rows.length === 0) process.stderr.write('No operations.\n');
    else printTable(rows);
  }
  if (more) process.stderr.write(`(first ${options.limit} shown; raise --limit for more)\n`);
  return EXIT.ok;
}

export function listCommand(): Command {
  return addClientOptions(
    new Command('ls')
      .description("List the caller's operations on a longrun server, newest first.")
      .option(
        '-s, --status <statuses>',
        `only these statuses, comma-separated: ${OPERATION_STATUSES.join(', ')}`,
        parseStatuses,
      )
      .option(
        '-k, --kind <kinds>',
        'only these kinds, comma-separated, e.g. report.generate',
        split,
      )
      .option('-n, --limit <n>', 'list at most n operations', parsePositiveInteger, 50)
      .option('--json', 'print one JSON line per operation (an OperationSnapshot with its url)'),
  )
    .addHelpText(
      'after',
      `
Reads GET <base URL>/operations page by page (the base URL is required here). The ids it prints work
in place of URLs in watch, get, cancel and result.

Examples:
  $ longrun ls --base-url http://127.0.0.1:8080
  $ LONGRUN_URL=http://127.0.0.1:8080 longrun ls --status running,notstarted
  $ longrun ls --kind vm.deploy --status failed --limit 10
  $ longrun ls --json | jq -r 'select(.percentComplete < 50) | .url'
${EXIT_CODES_HELP}
${ENV_HELP}`,
    )
    .action(runAction(list));
}
