import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveNode } from '../../../src/adapters/node.js';
import { createDemo } from '../../../src/demo/index.js';
import { createLongrun } from '../../../src/index.js';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { createTempDir } from '../../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CLI = join(ROOT, 'src', 'cli', 'main.ts');

/** A real longrun server: the demo at speed 20 on a temp SQLite file, over loopback. */
export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export async function startDemoServer(
  options: { apiKeys?: Record<string, string> } = {},
): Promise<DemoServer> {
  const dir = await createTempDir('longrun-cli-');
  const longrun = createLongrun({
    store: new SqliteStore(dir.file('longrun.db')),
    routes: createDemo({ speed: 20 }).routes,
    ...options,
  });
  await longrun.start();
  const server = await serveNode(longrun.handler, { closeGraceMs: 200 });
  return {
    url: server.url,
    async close() {
      await server.close();
      await longrun.stop(200);
      await dir.remove();
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `longrun <args>` from source as a child process (stdout and stderr are pipes, so not a TTY)
 * and resolves when it exits. `env` adds to (or, with undefined, removes from) the environment.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete childEnv.LONGRUN_URL;
  delete childEnv.LONGRUN_API_KEY;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Quotes one argument for `sh -c`. */
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** A CLI child under a pseudo-terminal: what the terminal received so far, keys to type, the exit. */
export interface PtyRun {
  readonly output: () => string;
  /** Types into the terminal: `\x03` is Ctrl-C (the terminal sends SIGINT). */
  type(keys: string): void;
  readonly exited: Promise<CliRun>;
}

/**
 * Runs `longrun <args>` under a pseudo-terminal of `columns` x `rows` with util-linux `script`, which
 * passes the exit code through; the output is the raw bytes the terminal received, escape codes and
 * stderr included.
 */
export function runCliInPty(
  args: readonly string[],
  size: { columns: number; rows: number },
): PtyRun {
  const command = [process.execPath, '--import', 'tsx', CLI, ...args].map(shellQuote).join(' ');
  const inner = `stty cols ${size.columns} rows ${size.rows}; exec ${command}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env.NO_COLOR;
  const child = spawn('script', ['-qfec', inner, '/dev/null'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return {
    output: () => stdout,
    type: (keys) => child.stdin.write(keys),
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    }),
  };
}
