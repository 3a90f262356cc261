import { type Command, InvalidArgumentError, Option } from 'commander';
import { createClient, type LongrunClient } from '../../client/index.js';
import { UsageError } from './command-errors.js';

/** Options every client command takes (from flags, else from the environment). */
export interface ClientCliOptions {
  apiKey?: string;
  baseUrl?: string;
}

export const ENV_HELP = `
Environment:
  LONGRUN_URL      base URL (mount root) of the API, e.g. http://127.0.0.1:8080 or https://api.example.com/v1;
                   used by ls, and for paths and operation ids given instead of full URLs (--base-url wins)
  LONGRUN_API_KEY  API key, sent as "Authorization: Bearer <key>" (--api-key wins)
  NO_COLOR         set to print the terminal view without colours`;

function parseHttpUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvalidArgumentError(
      `"${value}" is not an http(s) URL, e.g. http://127.0.0.1:8080 or https://api.example.com/v1.`,
    );
  }
  return url.href;
}

export function addClientOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--api-key <key>', 'API key, sent as "Authorization: Bearer <key>"').env(
        'LONGRUN_API_KEY',
      ),
    )
    .addOption(
      new Option('--base-url <url>', 'mount root of the API; paths and ids are resolved under it')
        .env('LONGRUN_URL')
        .argParser(parseHttpUrl),
    );
}

export function clientFrom(options: ClientCliOptions): LongrunClient {
  return createClient({
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
  });
}

const OPERATION_ID = /^[A-Za-z0-9_.~-]+$/;

/**
 * The URL a command acts on: an absolute http(s) URL as it is; otherwise a path under the base URL,
 * where an operation command (`kind: 'operation'`) also takes a bare id from `longrun ls`
 * (`01a2…` is `operations/01a2…`).
 */
export function targetUrl(
  value: string,
  options: ClientCliOptions,
  kind: 'operation' | 'start',
): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      return parseHttpUrl(value);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (options.baseUrl === undefined) {
    throw new UsageError(
      `"${value}" is not an absolute URL: give the full URL, or the API's base URL with --base-url URL or LONGRUN_URL.`,
    );
  }
  // Under the mount root even with a leading slash: `/reports` with `http://h/v1` is `http://h/v1/reports`.
  const relative = value.replace(/^\/+/, '');
  const path =
    kind === 'operation' && OPERATION_ID.test(relative) ? `operations/${relative}` : relative;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  return new URL(path, base).href;
}

/** Where JSON and readable output should be coloured: a terminal, and NO_COLOR unset. */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
