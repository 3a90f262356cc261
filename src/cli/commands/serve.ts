import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { serveNode } from '../../adapters/node.js';
import { createDemo } from '../../demo/index.js';
import { createLongrun } from '../../longrun.js';
import { SqliteStore } from '../../store/sqlite/index.js';
import { onShutdownSignals } from '../../worker/shutdown.js';
import { readApiKeysFile } from '../api-keys-file.js';
import { eventLine } from '../event-printer.js';
import {
  parseDuration,
  parsePort,
  parsePositiveInteger,
  parsePositiveNumber,
  parseUrlOrigin,
} from '../option-parsers.js';
import { printWelcome } from '../welcome.js';

const DAY_MS = 86_400_000;

interface ServeOptions {
  port: number;
  host: string;
  db: string;
  publicOrigin?: string;
  basePath: string;
  apiKeys?: string;
  demo: boolean;
  demoSpeed: number;
  concurrency: number;
  leaseMs: number;
  graceMs: number;
  retention: number;
  verbose: boolean;
}

const isLoopback = (host: string) => ['127.0.0.1', 'localhost', '::1'].includes(host);

async function serve(options: ServeOptions): Promise<void> {
  if (options.retention < DAY_MS) {
    throw new InvalidArgumentError(
      '--retention must be at least 24h: callers need a day to fetch results.',
    );
  }
  const apiKeys = options.apiKeys === undefined ? undefined : readApiKeysFile(options.apiKeys);
  if (options.db !== ':memory:') mkdirSync(dirname(options.db), { recursive: true });
  const demo = options.demo ? createDemo({ speed: options.demoSpeed }) : undefined;
  const longrun = createLongrun({
    store: new SqliteStore(options.db),
    operations: demo?.operations ?? [],
    routes: demo?.routes ?? [],
    basePath: options.basePath,
    ...(options.publicOrigin === undefined ? {} : { publicOrigin: options.publicOrigin }),
    ...(apiKeys === undefined ? {} : { apiKeys }),
    retention: { completedMs: options.retention },
    worker: { concurrency: options.concurrency, leaseMs: options.leaseMs },
    onEvent: (event) => {
      const line = eventLine(event, options.verbose);
      if (line) console.log(line);
    },
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
  });
  if (!apiKeys && !isLoopback(options.host)) {
    console.warn(
      `WARNING: listening on ${options.host} with no API keys: anyone who can reach this port can start, read and cancel operations. Pass --api-keys FILE.`,
    );
  }
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the longrun HTTP API with in-process workers on an embedded SQLite file.')
    .option('-p, --port <port>', 'TCP port to listen on (0 picks a free one)', parsePort, 8080)
    .option(
      '--host <host>',
      'interface to listen on; beyond loopback, configure --api-keys',
      '127.0.0.1',
    )
    .option('--db <path>', 'SQLite database file (created if missing)', './data/longrun.db')
    .option(
      '--public-origin <url>',
      'origin of the URLs the server emits (behind a proxy)',
      parseUrlOrigin,
    )
    .option('--base-path <path>', 'mount root of the API, e.g. /v1', '')
    .option('--api-keys <file>', 'JSON file mapping API keys to tenants: {"<key>": "<tenant>"}')
    .option(
      '--demo',
      'serve the demo operations (reports, lifecycle projects, VM deployments)',
      false,
    )
    .option(
      '--demo-speed <factor>',
      'run demo timings this many times faster',
      parsePositiveNumber,
      1,
    )
    .option('--concurrency <n>', 'operations run at once by this process', parsePositiveInteger, 16)
    .option(
      '--lease-ms <ms>',
      'worker lease; a killed process’s work restarts after it',
      parsePositiveInteger,
      15_000,
    )
    .option(
      '--grace-ms <ms>',
      'on SIGINT/SIGTERM, how long running operations may finish',
      parsePositiveInteger,
      10_000,
    )
    .option(
      '--retention <duration>',
      'how long finished operations stay readable (at least 24h)',
      parseDuration,
      7 * DAY_MS,
    )
    .option('-v, --verbose', 'print every operation start, not only finishes', false)
    .addHelpText(
      'after',
      `
Examples:
  $ longrun serve --demo                       demo API on http://127.0.0.1:8080
  $ longrun serve --db /var/lib/longrun.db --host 0.0.0.0 --api-keys keys.json
  $ longrun serve --demo --demo-speed 10 --port 0   fast demo on a free port (tests)

Signals: SIGINT/SIGTERM stop gracefully (running operations get --grace-ms, then run again
later); a second signal exits at once.`,
    )
    .action(serve);
}
