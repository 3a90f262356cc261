import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { forkBenchChild, nextMessage } from '../bench-child-process.js';
import { type FromChild, preciseNow, type ToChild } from './child-ipc.js';

/** One bench child (a file of this folder run under tsx), spoken to over IPC. */
export class PgChild {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Forks `bench/postgres/<entry>`; `BENCH_CPU_PROF=<dir>` writes a CPU profile per child. */
  static fork(entry: string, env: Record<string, string>): PgChild {
    return new PgChild(forkBenchChild(new URL(entry, import.meta.url), { env }));
  }

  /** Forks `count` children of `entry` and waits until each reports ready. */
  static async start(entry: string, count: number, env: Record<string, string>) {
    const children = Array.from({ length: count }, () => PgChild.fork(entry, env));
    const ready = await Promise.all(children.map((child) => child.next('ready')));
    return { children, urls: ready.map((message) => message.url ?? '') };
  }

  /** The next message of this type; rejects if the child reports an error or exits first. */
  next<T extends FromChild['type']>(type: T): Promise<FromChild & { type: T }> {
    return nextMessage<FromChild, T>(this.#child, type);
  }

  send(message: ToChild): void {
    this.#child.send(message);
  }

  async stats(): Promise<{ latencies: number[]; aborts: number[] }> {
    const reply = this.next('stats');
    this.send({ type: 'stats' });
    return reply;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    if (this.#child.connected) this.send({ type: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * VACUUM ANALYZE of every table in `schema`, between a burst and the latency run that follows: what
 * autovacuum does within its naptime after a burst (measured: a claim right after draining 60,000
 * operations walks their dead queue-index entries, +0.25 ms). Done for every system alike.
 */
export async function vacuumSchema(db: pg.Client, schema: string): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = $1',
    [schema],
  );
  for (const { name } of rows) {
    await db.query(`VACUUM (ANALYZE) "${schema}"."${name.replaceAll('"', '""')}"`);
  }
}

/** Every child's latencies since the last call, together. */
export async function latenciesOf(children: readonly PgChild[]): Promise<number[]> {
  return (await Promise.all(children.map((child) => child.stats()))).flatMap((s) => s.latencies);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Polls `countSql` (jobs not yet completed) every 50 ms until it reads 0 or `timeoutMs` passes.
 * Returns when that was (epoch ms) and what was left.
 */
export async function drained(
  db: pg.Client,
  countSql: string,
  timeoutMs: number,
): Promise<{ at: number; remaining: number }> {
  const deadline = preciseNow() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(countSql);
    const remaining = rows[0]?.n ?? 0;
    const at = preciseNow();
    if (remaining === 0 || at >= deadline) return { at, remaining };
    await sleep(50);
  }
}

/**
 * Submits `rate` jobs a second for `seconds`, each sent by `send(t)` with `t` the moment it is sent;
 * resolves once every submission has answered. Returns how many were sent and how many failed.
 */
export async function paced(
  rate: number,
  seconds: number,
  send: (t: number) => Promise<unknown>,
): Promise<{ sent: number; failed: number }> {
  const total = Math.round(rate * seconds);
  const start = preciseNow();
  const pending: Promise<unknown>[] = [];
  let failed = 0;
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - preciseNow();
    if (wait >= 1) await sleep(wait);
    pending.push(
      send(preciseNow()).catch(() => {
        failed++;
      }),
    );
  }
  await Promise.all(pending);
  return { sent: total, failed };
}
