import { Command } from 'commander';
import { snapshotJson } from '../terminal/change-line.js';
import {
  addClientOptions,
  type ClientCliOptions,
  clientFrom,
  ENV_HELP,
  targetUrl,
} from './client-options.js';
import { EXIT, EXIT_CODES_HELP, runAction } from './command-errors.js';
import { collectHeader, parseMethod, requestBody } from './request-options.js';
import { watchToEnd } from './watch-operation.js';

interface StartOptions extends ClientCliOptions {
  data?: string;
  header?: Record<string, string>;
  method: string;
  wait?: boolean;
  json?: boolean;
}

async function start(url: string, options: StartOptions): Promise<number> {
  const headers = options.header ?? {};
  const body = requestBody(options.data, headers);
  const handle = await clientFrom(options).start({
    url: targetUrl(url, options, 'start'),
    method: options.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  if (options.wait) return watchToEnd(handle, options);
  const { snapshot } = handle;
  const json = snapshot ? snapshotJson(handle.url, snapshot) : JSON.stringify({ url: handle.url });
  process.stdout.write(`${options.json ? json : handle.url}\n`);
  return EXIT.ok;
}

export function startCommand(): Command {
  return addClientOptions(
    new Command('start')
      .description(
        'Start an operation (POST by default) and print the URL to watch it at, or follow it with --wait.',
      )
      .argument('<url>', 'URL that starts the operation, or a path under --base-url')
      .option('-d, --data <json|@file>', 'request body: JSON, @file, or @- for standard input')
      .option('-H, --header <name:value>', 'request header, repeatable', collectHeader)
      .option('-X, --method <method>', 'HTTP method', parseMethod, 'POST')
      .option('-w, --wait', 'watch the operation to its end, as longrun watch does')
      .option('--json', 'print the first snapshot (with --wait: every change) as JSON lines'),
  )
    .addHelpText(
      'after',
      `
Without --wait it prints one line, the operation URL (the Operation-Location, else the Location it
is polled at), ready for longrun watch, get, cancel and result. The client understands longrun and
the neighbouring dialects (Azure Operation-Location and Azure-AsyncOperation, Location polling,
Google operations).

Examples:
  $ longrun start http://127.0.0.1:8080/reports --data '{"items": 75}'
  $ URL=$(longrun start http://127.0.0.1:8080/reports --data '{"items": 75}') && longrun watch "$URL"
  $ longrun start http://127.0.0.1:8080/vm-deployments -d '{"image": "debian-12"}' --wait
  $ longrun start lifecycle-projects --base-url http://127.0.0.1:8080 --data @project.json --wait --json
  $ longrun start https://api.example.com/v1/exports -H 'Idempotency-Key: 7f3a' -d @- < export.json
  $ longrun start https://api.example.com/things/42 -X PUT -d '{"size": 3}' --wait
${EXIT_CODES_HELP}
${ENV_HELP}`,
    )
    .action(runAction(start));
}
