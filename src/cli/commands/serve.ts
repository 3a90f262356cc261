import { Command, InvalidArgumentError } from 'commander';
import { serveNode } from '../../adapters/node.js';
import { createLongrun } from '../../longrun.js';
import { openStore } from '../../store/open-store.js';
import { onShutdownSignals } from '../../worker/shutdown.js';
import { readApiKeysFile } from '../api-keys-file.js';
import { parseDuration, parsePort, parseUrlOrigin } from '../option-parsers.js';
import {
  addProcessOptions,
  chosenOperations,
  eventPrinter,
  type ProcessOptions,
} from '../process-options.js';
import { requireSharedDatabase } from '../shared-database.js';
import { printWelcome } from '../welcome.js';

const DAY_MS = 86_400_000;

interface ServeOptions extends ProcessOptions {
  port: number;
  host: string;
  publicOrigin?: string;
  basePath: string;
  apiKeys?: string;
  workers: number;
  retention: number;
  ui: boolean;
}

const isLoopback = (host: string) => ['127.0.0.1', 'localhost', '::1'].includes(host);

function parseWorkers(value: string): number {
  if (value !== '0' && value !== '1') {
    throw new InvalidArgumentError('--workers is 1 (run operations here) or 0 (API node only).');
  }
  return Number(value);
}

async function serve(options: ServeOptions): Promise<void> {
  if (options.retention < DAY_MS) {
    throw new InvalidArgumentError(
      '--retention must be at least 24h: callers need a day to fetch results.',
    );
  }
  if (options.workers === 0) {
    await requireSharedDatabase(
      options.db,
      'An API node (--workers 0)',
      'drop --workers 0 (serve then runs the operations itself)',
    );
  }
  const apiKeys = options.apiKeys === undefined ? undefined : readApiKeysFile(options.apiKeys);
  const { operations, routes } = await chosenOperations(options);
  const longrun = createLongrun({
    store: await openStore(
      options.db,
      options.schema === undefined ? {} : { schema: options.schema },
    ),
    operations,
    routes,
    migrate: options.migrate,
    basePath: options.basePath,
    ...(options.publicOrigin === undefined ? {} : { publicOrigin: options.publicOrigin }),
    ...(apiKeys === undefined ? {} : { apiKeys }),
    retention: { completedMs: options.retention },
    worker:
      options.workers === 0
        ? false
        : { concurrency: options.concurrency, leaseMs: options.leaseMs },
    onEvent: eventPrinter(options.verbose),
    ui: options.demo || options.ui,
  });
  await longrun.start();
  const server = await serveNode(longrun.handler, {
    port: options.port,
    host: options.host,
    ...(options.publicOrigin === undefined ? {} : { publicOrigin: options.publicOrigin }),
  });
  onShutdownSignals(
    async () => {
      await Promise.all([server.close(), longrun.stop(options.graceMs)]);
    },
    (line) => console.log(line),
  );
  printWelcome({
    url: (options.publicOrigin ?? server.url) + options.basePath,
    db: options.db,
    demo: options.demo,
    secured: apiKeys !== undefined,
    ui: options.demo || options.ui,
  });
  if (!apiKeys && !isLoopback(options.host)) {
    console.warn(
      `WARNING: listening on ${options.host} with no API keys: anyone who can reach this port can start, read and cancel operations. Pass --api-keys FILE.`,
    );
  }
}

export function serveCommand(): Command {
  return addProcessOptions(
    new Command('serve').description(
      'Run the longrun HTTP API (with in-process workers unless --workers 0) on SQLite or PostgreSQL.',
    ),
  )
    .option('-p, --port <port>', 'TCP port to listen on (0 picks a free one)', parsePort, 8080)
    .option(
      '--host <host>',
      'interface to listen on; beyond loopback, configure --api-keys',
      '127.0.0.1',
    )
    .option(
      '--public-origin <url>',
      'origin of the URLs the server emits (behind a proxy)',
      parseUrlOrigin,
    )
    .option('--base-path <path>', 'mount root of the API, e.g. /v1', '')
    .option('--api-keys <file>', 'JSON file mapping API keys to tenants: {"<key>": "<tenant>"}')
    .option(
      '--workers <0|1>',
      '1: run operations in this process; 0: API node only',
      parseWorkers,
      1,
    )
    .option(
      '--ui',
      'serve the dashboard and the progress widget under /ui/ (on with --demo)',
      false,
    )
    .option(
      '--retention <duration>',
      'how long finished operations stay readable (at least 24h)',
      parseDuration,
      7 * DAY_MS,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ longrun serve --demo                       demo API on http://127.0.0.1:8080 (SQLite)
  $ longrun serve --db /var/lib/longrun.db --host 0.0.0.0 --api-keys keys.json --operations ./ops.js
  $ longrun serve --db postgres://db.internal/app --workers 0 --operations ./ops.js   API node only
  $ longrun serve --demo --demo-speed 10 --port 0   fast demo on a free port (tests)

Signals: SIGINT/SIGTERM stop gracefully (running operations get --grace-ms, then run again
later); a second signal exits at once.`,
    )
    .action(serve);
}
