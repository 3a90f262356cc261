import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, type TempDir } from './temp-dir.js';

/**
 * Children run the CLI from source (`node --import tsx src/cli/main.ts`): no build step, and the child's
 * pid is node's own, so SIGTERM and SIGKILL reach longrun itself rather than a wrapper.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
const READY_TIMEOUT_MS = 20_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One `longrun serve` child process. Its stdout and stderr are collected line by line, so tests wait
 * for what it says (readiness, shutdown, events) instead of sleeping.
 */
export class ServeProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` from its "longrun listening on" line; set once ready. */
  url = '';
  /** Resolves when the process has exited (and its output is fully read). */
  readonly exited: Promise<Exit>;
  readonly #lines: string[] = [];
  readonly #waiters = new Set<() => void>();
  #exit: Exit | undefined;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    this.#collect(this.child.stdout!, '');
    this.#collect(this.child.stderr!, '[stderr] ');
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.#exit = { code, signal };
        this.#notify();
        resolve(this.#exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything it printed so far, stderr lines prefixed with `[stderr]`. */
  get output(): string {
    return this.#lines.join('\n');
  }

  /**
   * The first line matching `pattern` (among all printed so far, or printed later). Rejects, with the
   * output, when the process exits first or `timeoutMs` passes.
   */
  async waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.#lines.find((candidate) => pattern.test(candidate));
      if (line !== undefined) return line;
      if (this.#exit) {
        throw new Error(
          `longrun serve exited (${describeExit(this.#exit)}) before printing ${pattern}:\n${this.output}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `longrun serve printed no ${pattern} within ${timeoutMs} ms:\n${this.output}`,
        );
      }
      await this.#nextLine(left);
    }
  }

  /** Sends a signal; does not wait for the exit. */
  signal(signal: NodeJS.Signals): void {
    if (!this.#exit) this.child.kill(signal);
  }

  /** Sends a signal and resolves with the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    this.signal(signal);
    return this.exited;
  }

  /** Resolves with the exit, or rejects (with the output) if the process still runs after `timeoutMs`. */
  async exitWithin(timeoutMs: number): Promise<Exit> {
    const timeout = sleep(timeoutMs, 'timeout' as const, { ref: false });
    const outcome = await Promise.race([this.exited, timeout]);
    if (outcome === 'timeout') {
      throw new Error(`longrun serve did not exit within ${timeoutMs} ms:\n${this.output}`);
    }
    return outcome;
  }

  #collect(stream: NodeJS.ReadableStream, prefix: string): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const part of parts) this.#lines.push(prefix + part);
      if (parts.length > 0) this.#notify();
    });
    stream.on('end', () => {
      if (partial) this.#lines.push(prefix + partial);
      partial = '';
      this.#notify();
    });
  }

  #nextLine(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/**
 * A temporary directory holding one SQLite file, and every `longrun serve` started on it. `cleanup()`
 * SIGKILLs whatever still runs and removes the directory; call it from an `after`/`afterEach` hook.
 */
export class ServeSandbox {
  readonly db: string;
  readonly #dir: TempDir;
  readonly #processes: ServeProcess[] = [];

  private constructor(dir: TempDir) {
    this.#dir = dir;
    this.db = dir.file('longrun.db');
  }

  static async create(prefix = 'longrun-test-'): Promise<ServeSandbox> {
    return new ServeSandbox(await createTempDir(prefix));
  }

  /**
   * Starts `longrun serve --port 0 --db <this sandbox's file> --demo <args>` and resolves once it prints
   * its "longrun listening on <url>" line.
   */
  async serve(args: readonly string[] = []): Promise<ServeProcess> {
    const serve = new ServeProcess([
      'serve',
      '--demo',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      this.db,
      ...args,
    ]);
    this.#processes.push(serve);
    const line = await serve.waitForLine(/^longrun listening on /, READY_TIMEOUT_MS);
    serve.url = /^longrun listening on (http:\/\/\S+)/.exec(line)![1]!;
    return serve;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#processes.map((serve) => serve.kill('SIGKILL')));
    await this.#dir.remove();
  }
}

/**
 * Whether a new TCP connection to `url` is refused. Uses a fresh socket (no keep-alive pool), so a
 * connection opened before a shutdown cannot make a closed listener look open. A connection reset
 * (accepted by the kernel just as the listener closed) answers false: ask again to know for sure.
 */
export function connectionRefused(url: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = request(url, { method: 'GET', agent: false }, (response) => {
      response.resume();
      resolve(false);
    });
    probe.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(true);
      else if (error.code === 'ECONNRESET') resolve(false);
      else reject(error);
    });
    probe.end();
  });
}
