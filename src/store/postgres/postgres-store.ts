import { PostgresWebhookStore } from '../../webhooks/postgres-webhook-store.js';
import { ChangeSignals, changeSignal } from '../change-signals.js';
import { newLeaseToken } from '../operation-id.js';
import type {
  CancelResult,
  ChangeInterest,
  ChangeSignal,
  ClaimedOperation,
  ClaimRequest,
  CreateResult,
  DeleteResult,
  DurationCount,
  DurationCountQuery,
  DurationHistory,
  DurationSample,
  EventHistory,
  FinishOutcome,
  Lease,
  ListQuery,
  Lookup,
  NewOperation,
  OperationRecord,
  ProgressUpdate,
  RecoveryResult,
  ReleaseOptions,
  RenewResult,
  Store,
  StoreCapabilities,
  TenantEvents,
} from '../store.js';
import { StoreUnavailableError } from '../store-unavailable.js';
import { requestCancel } from './postgres-cancel.js';
import {
  type PostgresConfig,
  type PostgresOptions,
  postgresOptions,
  type SignalChannel,
  type SqlNames,
  sqlNames,
  WORK_SIGNALS,
} from './postgres-config.js';
import { isUnavailableError, rows } from './postgres-connection.js';
import { PostgresDurations } from './postgres-durations.js';
import { PostgresEventLog } from './postgres-events.js';
import type { LeaseWrite } from './postgres-lease-writes.js';
import {
  latestPostgresVersion,
  migratePostgres,
  postgresSchemaVersion,
} from './postgres-migrations.js';
import { recoverExpiredLeases } from './postgres-recovery.js';
import { type OperationRow, toOperationRecord } from './postgres-rows.js';
import { explainMissingSchema, openRuntime, type PostgresRuntime } from './postgres-runtime.js';
import { listOperationsSql } from './queries/list-operations.js';

/**
 * The shared store: many API nodes and workers on one PostgreSQL database. Writes of one event-loop
 * turn are batched into one statement each; leases and run_after are judged by the database clock;
 * change signals are delivered in-process at once, and by NOTIFY (sent once the write committed, see
 * SignalSender) to every other store on the schema.
 */
export class PostgresStore implements Store {
  /** Known before a connection is made (the CLI checks them first). */
  static readonly capabilities: StoreCapabilities = {
    crossProcessSignals: true,
    sharedAcrossProcesses: true,
  };
  readonly capabilities = PostgresStore.capabilities;
  readonly #config: PostgresConfig;
  readonly #names: SqlNames;
  /** Every signal, this store's and (once listening) other processes'. */
  readonly #signals = new ChangeSignals();
  /** Only this store's own. */
  readonly #ownSignals = new ChangeSignals();
  readonly #calls = new Set<Promise<unknown>>();
  /** The NOTIFY channels some listener of this store wants. */
  readonly #channels = new Set<SignalChannel>();
  #opened: Promise<PostgresRuntime> | undefined;
  #durationStatements: PostgresDurations | undefined;
  #eventLog: PostgresEventLog | undefined;
  #closed: Promise<void> | undefined;
  readonly webhooks: PostgresWebhookStore;

  constructor(options: PostgresOptions | string) {
    this.#config = postgresOptions(options);
    this.#names = sqlNames(this.#config.schema);
    this.webhooks = new PostgresWebhookStore(
      (run) => this.#call(({ pool }) => run(pool)),
      this.#names.schema,
    );
  }

  /** Creates the schema and applies pending migrations (see postgres-migrations.ts). */
  migrate(): Promise<void> {
    return this.#call(async ({ pool }) => migratePostgres(pool, this.#config.schema));
  }

  schemaVersion(): Promise<{ current: number; latest: number }> {
    return this.#call(async ({ pool }) => ({
      current: await postgresSchemaVersion(pool, this.#config.schema),
      latest: latestPostgresVersion(),
    }));
  }

  create(operation: NewOperation): Promise<CreateResult> {
    return this.#call(async (runtime) => {
      const result = await runtime.creates.add(operation);
      // NOTIFYed by the insert itself (queries/insert-operations.ts): this process's listeners only.
      if (result.outcome === 'created') this.#emitHere(changeSignal(result.operation, 'created'));
      return result;
    });
  }

  get(tenant: string, id: string): Promise<Lookup<OperationRecord>> {
    return this.#call(async ({ pool, sql }) => {
      const [row] = await rows<OperationRow & { entombed: boolean }>(pool, sql.getOperation, [
        id,
        tenant,
      ]);
      if (!row) return { outcome: 'missing' };
      if (row.entombed) return { outcome: 'gone' };
      return { outcome: 'found', operation: toOperationRecord(row) };
    });
  }

  findByResourceLocation(tenant: string, location: string) {
    return this.#call(async ({ pool, sql }) => {
      const [row] = await rows<OperationRow>(pool, sql.byResource, [tenant, location]);
      return row && toOperationRecord(row);
    });
  }

  list(query: ListQuery): Promise<OperationRecord[]> {
    return this.#call(async ({ pool }) => {
      const { rows } = await pool.query<OperationRow>(listOperationsSql(this.#names, query));
      return rows.map(toOperationRecord);
    });
  }

  claim(request: ClaimRequest): Promise<ClaimedOperation[]> {
    if (request.limit <= 0 || request.kinds.length === 0) return this.#call(async () => []);
    const token = newLeaseToken(request.workerId);
    return this.#call(async (runtime) => {
      const { claims, sql } = runtime;
      const claimed = await rows<OperationRow>(claims, sql.claimOperations, [
        token,
        request.leaseMs,
        request.kinds,
        request.limit,
      ]);
      // Starting to run is a change watchers must see (NotStarted -> Running, a new revision).
      for (const row of claimed) this.#signal(runtime, row, 'updated');
      return claimed.map((row) => ({
        lease: { id: row.id, tenant: row.tenant, token },
        operation: toOperationRecord(row),
      }));
    });
  }

  renew(leases: readonly Lease[], leaseMs: number): Promise<RenewResult[]> {
    return this.#call(({ leaseWrites }) =>
      Promise.all(
        leases.map(async (lease) => {
          const result = await leaseWrites.add({ write: 'renew', lease, leaseMs });
          return { id: lease.id, held: result.applied, cancelRequested: result.cancelRequested };
        }),
      ),
    );
  }

  update(lease: Lease, update: ProgressUpdate): Promise<boolean> {
    return this.#leaseWrite({ write: 'update', lease, update }, 'updated');
  }

  finish(lease: Lease, outcome: FinishOutcome): Promise<boolean> {
    return this.#leaseWrite({ write: 'finish', lease, outcome }, 'finished');
  }

  release(lease: Lease, options: ReleaseOptions): Promise<boolean> {
    // As a delay from now, so the database clock decides when it may run again.
    const delayMs = Math.round(options.runAfter - Date.now());
    return this.#leaseWrite({ write: 'release', lease, options, delayMs }, 'updated');
  }

  requestCancel(tenant: string, id: string, expiresAt: number): Promise<CancelResult> {
    return this.#call(async (runtime) => {
      const { pool, sql } = runtime;
      const { result, signal } = await requestCancel(pool, sql, tenant, id, expiresAt);
      if (signal && 'operation' in result) this.#signal(runtime, result.operation, signal);
      return result;
    });
  }

  delete(tenant: string, id: string): Promise<DeleteResult> {
    return this.#call(async ({ pool, sql }) => {
      const [row] = await rows<{ queue_state: string; entombed: boolean; deleted: number }>(
        pool,
        sql.deleteOperation,
        [id, tenant],
      );
      if (!row) return 'missing';
      if (row.entombed) return 'gone';
      if (row.queue_state !== 'done') return 'not-finished';
      // Finished, yet not deleted by this statement: another delete got there first.
      return row.deleted === 1 ? 'deleted' : 'missing';
    });
  }

  expire(now: number, tombstoneMs: number) {
    return this.#call(async ({ pool, sql }) => {
      const [entombed] = await rows<{ expired: number }>(pool, sql.entomb, [now, tombstoneMs]);
      const [purged] = await rows<{ purged: number }>(pool, sql.purge, [now]);
      return { expired: entombed?.expired ?? 0, purged: purged?.purged ?? 0 };
    });
  }

  /** Expiry is judged by the database clock, the one leases are granted by; `now` is not used. */
  recoverExpiredLeases(_now: number, expiresAt: number): Promise<RecoveryResult> {
    return this.#call(async (runtime) => {
      const { pool, sql } = runtime;
      const { result, signals } = await recoverExpiredLeases(pool, sql, expiresAt);
      for (const signal of signals) this.#emit(runtime, signal);
      return result;
    });
  }

  recordDurations(samples: readonly DurationSample[]): Promise<void> {
    return this.#call(({ pool }) => this.#durations.record(pool, samples));
  }

  recentDurations(kind: string): Promise<DurationHistory[]> {
    return this.#call(({ pool }) => this.#durations.recent(pool, kind));
  }

  durationCounts(query: DurationCountQuery): Promise<DurationCount[]> {
    return this.#call(({ pool }) => this.#durations.counts(pool, query));
  }

  get #durations(): PostgresDurations {
    this.#durationStatements ??= new PostgresDurations(this.#names);
    return this.#durationStatements;
  }

  readEvents(
    tenant: string,
    id: string,
    afterRevision: number,
    limit: number,
  ): Promise<EventHistory> {
    return this.#call(({ pool }) => this.#events.read(pool, tenant, id, afterRevision, limit));
  }

  readTenantEvents(tenant: string, after: string | undefined, limit: number) {
    return this.#call(
      ({ pool }): Promise<TenantEvents> => this.#events.readTenant(pool, tenant, after, limit),
    );
  }

  get #events(): PostgresEventLog {
    this.#eventLog ??= new PostgresEventLog(this.#names);
    return this.#eventLog;
  }

  /** Other processes' signals are listened for from the first listener that wants them on. */
  onChange(listener: (signal: ChangeSignal) => void, interest: ChangeInterest = {}): () => void {
    if (interest.ownWrites) return this.#ownSignals.on(listener);
    const channel: SignalChannel = interest.kinds?.every((kind) => WORK_SIGNALS.includes(kind))
      ? 'work'
      : 'watch';
    if (!this.#channels.has(channel)) {
      this.#channels.add(channel);
      void this.#opened?.then((runtime) => runtime.listen(channel)).catch(() => {});
    }
    return this.#signals.on(listener);
  }

  /**
   * Resolves once other processes' signals reach this store's listeners: LISTEN starts with the first
   * listener that wants a channel, a round trip later. For tests and tools; listeners themselves need
   * not wait, the signal with an empty id tells them to look again once it listens.
   */
  async listening(): Promise<void> {
    this.#opened ??= this.#open();
    const runtime = await this.#opened;
    for (const channel of this.#channels) runtime.listen(channel);
    await runtime.listening();
  }

  /** Lets calls already made finish, then stops listening and ends the pool if the store made it. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      while (this.#calls.size > 0) await Promise.allSettled([...this.#calls]);
      await (await this.#opened?.catch(() => undefined))?.close();
    })();
    return this.#closed;
  }

  async #leaseWrite(item: LeaseWrite, kind: ChangeSignal['kind']): Promise<boolean> {
    return this.#call(async (runtime) => {
      const { applied } = await runtime.leaseWrites.add(item);
      if (applied) this.#signal(runtime, item.lease, kind);
      return applied;
    });
  }

  /** Runs a call on the opened store; refused once close() began, awaited by close() if already made. */
  #call<T>(run: (opened: PostgresRuntime) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('PostgresStore is closed.'));
    this.#opened ??= this.#open();
    const call = this.#opened.then(run).catch((error) => {
      if (isUnavailableError(error)) throw new StoreUnavailableError(error);
      throw explainMissingSchema(error, this.#config.schema);
    });
    this.#calls.add(call);
    const forget = () => this.#calls.delete(call);
    call.then(forget, forget);
    return call;
  }

  #open(): Promise<PostgresRuntime> {
    const opening = openRuntime(this.#config, this.#names, (signal) => this.#signals.emit(signal));
    void opening.then(
      (runtime) => {
        for (const channel of this.#channels) runtime.listen(channel);
      },
      () => {},
    );
    // A failed open is not kept: the next call tries again.
    opening.catch(() => {
      if (this.#opened === opening) this.#opened = undefined;
    });
    return opening;
  }

  #signal(
    runtime: PostgresRuntime,
    operation: { id: string; tenant: string; kind?: string },
    kind: ChangeSignal['kind'],
  ) {
    this.#emit(runtime, changeSignal(operation, kind));
  }

  /** A committed change: this process's listeners hear it at once, the others by NOTIFY. */
  #emit(runtime: PostgresRuntime, signal: ChangeSignal): void {
    this.#emitHere(signal);
    runtime.signals.send(signal);
  }

  #emitHere(signal: ChangeSignal): void {
    this.#signals.emit(signal);
    this.#ownSignals.emit(signal);
  }
}
