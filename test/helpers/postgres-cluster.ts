import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BodyEvent } from '../scale/fixtures/scale-operations.js';
import { ApiClient } from './api-client.js';
import { ServeProcess } from './child-process.js';
import { adminQuery, DATABASE_URL, dropSchema, freshSchema } from './postgres.js';
import { createTempDir, type TempDir } from './temp-dir.js';

const READY_TIMEOUT_MS = 30_000;
const TERMINAL = new Set(['Succeeded', 'Failed', 'Canceled']);

/** The instrumented operations module the workers load (see scale/fixtures/scale-operations.ts). */
export const SCALE_OPERATIONS = fileURLToPath(
  new URL('../scale/fixtures/scale-operations.ts', import.meta.url),
);

/**
 * Real `longrun serve` and `longrun worker` processes on one fresh PostgreSQL schema. Every process
 * connects with its own `application_name` (`<schema>_<role><n>`), so the test can see its
 * connections in pg_stat_activity and terminate exactly them, never another suite's. Workers log their
 * operation bodies to a temporary directory (LONGRUN_SCALE_LOG_DIR). `cleanup()` SIGKILLs whatever
 * still runs, drops the schema and removes the directory.
 */
export class PostgresCluster {
  readonly schema = freshSchema();
  readonly apiNodes: ServeProcess[] = [];
  readonly workers: ServeProcess[] = [];
  readonly #logs: TempDir;

  private constructor(logs: TempDir) {
    this.#logs = logs;
  }

  static async create(): Promise<PostgresCluster> {
    const logs = await createTempDir('longrun-scale-');
    // Inherited by every child spawned from now on (ServeProcess passes process.env on).
    process.env.LONGRUN_SCALE_LOG_DIR = logs.path;
    return new PostgresCluster(logs);
  }

  /** The database URL a process of this cluster connects with, named `<schema>_<tag>`. */
  dbUrl(tag: string): string {
    if (!DATABASE_URL) throw new Error('DATABASE_URL is not set: gate the suite on POSTGRES_SKIP.');
    const url = new URL(DATABASE_URL);
    url.searchParams.set('application_name', `${this.schema}_${tag}`);
    return url.href;
  }

  /** `longrun serve --demo --workers 0` (an API node) plus `args`; resolves once it listens. */
  async serve(args: readonly string[] = ['--workers', '0']): Promise<ServeProcess> {
    const tag = `api${this.apiNodes.length + 1}`;
    const node = new ServeProcess([
      'serve',
      '--demo',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      this.dbUrl(tag),
      '--schema',
      this.schema,
      ...args,
    ]);
    this.apiNodes.push(node);
    const line = await node.waitForLine(/^longrun listening on /, READY_TIMEOUT_MS);
    node.url = /^longrun listening on (http:\/\/\S+)/.exec(line)![1]!;
    return node;
  }

  /** `longrun worker` running the instrumented operations plus `args`; resolves once it runs. */
  async worker(args: readonly string[] = []): Promise<ServeProcess> {
    const tag = `worker${this.workers.length + 1}`;
    const worker = new ServeProcess([
      'worker',
      '--db',
      this.dbUrl(tag),
      '--schema',
      this.schema,
      '--operations',
      SCALE_OPERATIONS,
      ...args,
    ]);
    this.workers.push(worker);
    await worker.waitForLine(/^longrun worker running /, READY_TIMEOUT_MS);
    return worker;
  }

  /** A client of API node `index`. */
  api(index: number): ApiClient {
    return new ApiClient(this.apiNodes[index]!.url);
  }

  /** Operations of this schema per status, read directly from the table. */
  async statusCounts(): Promise<Record<string, number>> {
    const rows = await adminQuery<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM "${this.schema}".operations GROUP BY status`,
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  /** Waits until `total` operations exist and all are terminal; returns the counts per status. */
  async allFinished(total: number, timeoutMs: number): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.statusCounts();
      const finished = Object.entries(counts)
        .filter(([status]) => TERMINAL.has(status))
        .reduce((sum, [, n]) => sum + n, 0);
      if (finished >= total) return counts;
      if (Date.now() > deadline) {
        throw new Error(
          `Not all ${total} operations finished in ${timeoutMs} ms: ${JSON.stringify(counts)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Terminates every server backend of this cluster's processes (pool connections and LISTEN
   * connections alike), as a restart would; other suites' connections are left alone.
   */
  async terminateBackends(): Promise<number> {
    const [row] = await adminQuery<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name LIKE $1 AND pid <> pg_backend_pid()`,
      [`${this.schema}\\_%`],
    );
    return row?.n ?? 0;
  }

  /** The processes of this cluster holding a LISTEN connection now (their application_name tags). */
  async listening(): Promise<string[]> {
    const rows = await adminQuery<{ name: string }>(
      `SELECT DISTINCT application_name AS name FROM pg_stat_activity
       WHERE application_name LIKE $1 AND query ILIKE 'LISTEN %'`,
      [`${this.schema}\\_%`],
    );
    return rows.map((row) => row.name.slice(this.schema.length + 1)).sort();
  }

  /** Every body event the workers logged, in time order. */
  async bodyEvents(): Promise<BodyEvent[]> {
    const events: BodyEvent[] = [];
    for (const file of await readdir(this.#logs.path)) {
      const text = await readFile(this.#logs.file(file), 'utf8');
      for (const line of text.split('\n')) if (line) events.push(JSON.parse(line) as BodyEvent);
    }
    return events.sort((a, b) => a.t - b.t);
  }

  async cleanup(): Promise<void> {
    await Promise.all([...this.apiNodes, ...this.workers].map((child) => child.kill('SIGKILL')));
    await dropSchema(this.schema);
    await this.#logs.remove();
  }
}
