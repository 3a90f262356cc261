import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Node flags of every benchmark child process: tsx for the bench's own TypeScript, then the hook that
 * makes its imports of src/ load the compiled dist/ (see compiled-src.mjs).
 */
export const CHILD_EXEC_ARGV = [
  '--import',
  'tsx',
  '--import',
  fileURLToPath(new URL('./compiled-src.mjs', import.meta.url)),
];

/**
 * Forks the bench file at `entry` with those flags and an IPC channel (stdout ignored, stderr shown).
 * `BENCH_CPU_PROF=<dir>` writes a CPU profile per child there.
 */
export function forkBenchChild(
  entry: URL,
  options: { env?: Record<string, string>; execArgv?: string[] } = {},
): ChildProcess {
  const execArgv = [...CHILD_EXEC_ARGV, ...(options.execArgv ?? [])];
  const profileDir = process.env.BENCH_CPU_PROF;
  if (profileDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  return fork(fileURLToPath(entry), [], {
    execArgv,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/**
 * The next IPC message of `type` from `child` that `match` accepts. Rejects if the child exits
 * first, or sends `{ type: 'error', message }` (how a bench child reports a failure).
 */
export function nextMessage<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
  match: (message: M & { type: T }) => boolean = () => true,
): Promise<M & { type: T }> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M) => {
      if (message.type === 'error') {
        finish(() => reject(new Error((message as { message?: string }).message)));
      } else if (message.type === type && match(message as M & { type: T })) {
        finish(() => resolve(message as M & { type: T }));
      }
    };
    const onExit = (code: number | null) =>
      finish(() => reject(new Error(`bench child exited (code ${code}) before "${type}"`)));
    const finish = (settle: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
