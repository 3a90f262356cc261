import type Database from 'better-sqlite3';
import { isTerminal } from '../../protocol/operation-state.js';
import { attemptsExhaustedError, CANCELED_ERROR } from '../../protocol/problem.js';
import { SqliteWebhookStore } from '../../webhooks/sqlite-webhook-store.js';
import { ChangeSignals, changeSignal } from '../change-signals.js';
import { newLeaseToken } from '../operation-id.js';
import type {
  CancelResult,
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
import { GroupCommit } from './group-commit.js';
import { RecordCache } from './record-cache.js';
import { openDatabase, type SqliteOptions, sqliteOptions } from './sqlite-config.js';
import { SqliteDurations } from './sqlite-durations.js';
import { SqliteEventLog } from './sqlite-events.js';
import { listOperationsSql } from './sqlite-list.js';
import { latestSqliteVersion, migrateSqlite, sqliteSchemaVersion } from './sqlite-migrations.js';
import { type OperationRow, OperationRowStatement, toOperationRecord } from './sqlite-rows.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';
import {
  endUnleased,
  finishParams,
  insertOperation,
  isEntombed,
  progressParams,
} from './sqlite-writes.js';
import { WalSync } from './wal-sync.js';

/**
 * The embedded store: one SQLite file in WAL mode, every write group-committed and made durable
 * (fdatasync of the WAL, off the event loop) before its caller is answered.
 */
export class SqliteStore implements Store {
  /** Known before a file is opened (the CLI checks them first). */
  static readonly capabilities: StoreCapabilities = {
    crossProcessSignals: false,
    sharedAcrossProcesses: false,
  };
  readonly capabilities = SqliteStore.capabilities;
  readonly #db: Database.Database;
  readonly #commit: GroupCommit;
  readonly #walSync: WalSync;
  readonly #signals = new ChangeSignals();
  readonly #cache = new RecordCache();
  #statements: SqliteStatements | undefined;
  #durationStatements: SqliteDurations | undefined;
  #eventLog: SqliteEventLog | undefined;
  readonly webhooks: SqliteWebhookStore;

  constructor(options: SqliteOptions | string) {
    const config = sqliteOptions(options);
    this.#db = openDatabase(config);
    this.#walSync = new WalSync(config.path);
    this.#commit = new GroupCommit(this.#db, () => this.#walSync.sync());
    this.webhooks = new SqliteWebhookStore(this.#db, (write) => this.#commit.run(write));
  }

  get #sql(): SqliteStatements {
    this.#statements ??= this.#prepare();
    return this.#statements;
  }

  /** Prepared after the schema check of #sql: a database behind on migrations says what to run. */
  get #durations(): SqliteDurations {
    if (!this.#durationStatements) {
      void this.#sql;
      this.#durationStatements = new SqliteDurations(this.#db);
    }
    return this.#durationStatements;
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.#db);
  }

  async schemaVersion(): Promise<{ current: number; latest: number }> {
    return { current: sqliteSchemaVersion(this.#db), latest: latestSqliteVersion() };
  }

  /** Statements need the schema: a database behind on migrations gets an error that says what to run. */
  #prepare(): SqliteStatements {
    const current = sqliteSchemaVersion(this.#db);
    if (current < latestSqliteVersion()) {
      throw new Error(
        `The SQLite database has schema version ${current}; this longrun needs ${latestSqliteVersion()}. Run "longrun migrate --db <file>", or start without --no-migrate.`,
      );
    }
    return prepareStatements(this.#db);
  }

  async create(operation: NewOperation): Promise<CreateResult> {
    // Without an idempotency key the write is one INSERT, which needs no savepoint of its own.
    const result = await this.#commit.run(
      () => insertOperation(this.#sql, operation),
      operation.idempotency === undefined ? ATOMIC : {},
    );
    if (result.outcome === 'created') {
      this.#signal(result.operation, 'created');
      // What the insert returned is the operation as it is now: the first poll needs no query.
      this.#cache.set(result.operation);
    }
    return result;
  }

  cached(tenant: string, id: string): OperationRecord | undefined {
    const cached = this.#cache.get(id);
    if (cached === undefined || cached.tenant !== tenant) return undefined;
    if (cached.expiresAt !== undefined && cached.expiresAt <= Date.now()) return undefined;
    return cached;
  }

  async get(tenant: string, id: string): Promise<Lookup<OperationRecord>> {
    const cached = this.cached(tenant, id);
    if (cached) return { outcome: 'found', operation: cached };
    // Not in memory, another tenant's, or past retention: the row says which.
    const row = this.#sql.byTenantAndId.get(id, tenant);
    if (!row) return { outcome: 'missing' };
    if (isEntombed(row, Date.now())) return { outcome: 'gone' };
    const operation = toOperationRecord(row);
    this.#cache.set(operation);
    return { outcome: 'found', operation };
  }

  async findByResourceLocation(tenant: string, location: string) {
    const row = this.#sql.byResource.get(tenant, location);
    return row && toOperationRecord(row);
  }

  async list(query: ListQuery): Promise<OperationRecord[]> {
    const { sql, params } = listOperationsSql(query, Date.now());
    return new OperationRowStatement(this.#db, sql).all(params).map(toOperationRecord);
  }

  async claim(request: ClaimRequest): Promise<ClaimedOperation[]> {
    if (request.limit <= 0 || request.kinds.length === 0) return [];
    const token = newLeaseToken(request.workerId);
    const rows = await this.#commit.run(() => {
      const now = Date.now();
      const claimed = this.#sql.claim.all({
        token,
        now,
        leaseUntil: now + request.leaseMs,
        kinds: JSON.stringify(request.kinds),
        limit: request.limit,
      });
      for (const row of claimed) this.#cache.delete(row.id);
      return claimed;
    }, ATOMIC);
    return rows.map((row) => {
      const operation = toOperationRecord(row);
      // Starting to run is a change watchers must see (NotStarted -> Running, a new revision).
      this.#signal(row, 'updated');
      this.#cache.set(operation);
      return { lease: { id: row.id, tenant: row.tenant, token }, operation };
    });
  }

  renew(leases: readonly Lease[], leaseMs: number): Promise<RenewResult[]> {
    return this.#commit.run(() => {
      const until = Date.now() + leaseMs;
      return leases.map((lease) => {
        const row = this.#sql.renew.get(until, lease.id, lease.token) as
          | { cancel_requested: number }
          | undefined;
        return {
          id: lease.id,
          held: row !== undefined,
          cancelRequested: row?.cancel_requested === 1,
        };
      });
    }, ATOMIC);
  }

  async update(lease: Lease, update: ProgressUpdate): Promise<boolean> {
    const changed = await this.#commit.run(
      () =>
        this.#stale(lease.id) ||
        this.#sql.update.run({
          id: lease.id,
          token: lease.token,
          now: Date.now(),
          ...progressParams(update),
        }).changes,
      ATOMIC,
    );
    if (changed) this.#signal(lease, 'updated');
    return changed === 1;
  }

  async finish(lease: Lease, outcome: FinishOutcome): Promise<boolean> {
    const done = await this.#commit.run(
      () =>
        this.#stale(lease.id) || this.#sql.finish.run(finishParams(lease, outcome)).changes === 1,
      ATOMIC,
    );
    if (done) this.#signal(lease, 'finished');
    return done;
  }

  async release(lease: Lease, options: ReleaseOptions): Promise<boolean> {
    const changed = await this.#commit.run(
      () =>
        this.#stale(lease.id) ||
        this.#sql.release.run({
          id: lease.id,
          token: lease.token,
          now: Date.now(),
          runAfter: options.runAfter,
          refund: options.refundAttempt ? 1 : 0,
          ...progressParams(options),
        }).changes,
      ATOMIC,
    );
    if (changed) this.#signal(lease, 'updated');
    return changed === 1;
  }

  async requestCancel(tenant: string, id: string, expiresAt: number): Promise<CancelResult> {
    const result = await this.#commit.run((): CancelResult => {
      const row = this.#sql.byTenantAndId.get(id, tenant);
      if (!row) return { outcome: 'missing' };
      this.#stale(id);
      const now = Date.now();
      if (isEntombed(row, now)) return { outcome: 'gone' };
      if (row.status === 'Canceled')
        return { outcome: 'already-canceled', operation: toOperationRecord(row) };
      if (isTerminal(toOperationRecord(row).status)) {
        return { outcome: 'finished', operation: toOperationRecord(row) };
      }
      if (row.queue_state === 'leased') {
        // Asked again: nothing changes (no new revision, no new signal).
        if (row.cancel_requested === 1)
          return { outcome: 'canceling', operation: toOperationRecord(row) };
        this.#sql.markCanceling.run(now, id);
        return { outcome: 'canceling', operation: toOperationRecord(this.#row(id)!) };
      }
      this.#sql.markCancelRequested.run(id);
      endUnleased(this.#sql, row, 'Canceled', CANCELED_ERROR, 409, expiresAt, now);
      return { outcome: 'canceled', operation: toOperationRecord(this.#row(id)!) };
    });
    if (result.outcome === 'canceling') this.#signal(result.operation, 'cancel-requested');
    if (result.outcome === 'canceled') this.#signal(result.operation, 'finished');
    return result;
  }

  delete(tenant: string, id: string): Promise<DeleteResult> {
    return this.#commit.run((): DeleteResult => {
      const row = this.#sql.byTenantAndId.get(id, tenant);
      if (!row) return 'missing';
      if (isEntombed(row, Date.now())) return 'gone';
      if (row.queue_state !== 'done') return 'not-finished';
      this.#cache.delete(id);
      this.#sql.deleteOperation.run(id);
      this.#sql.deleteKeysOf.run(id);
      return 'deleted';
    });
  }

  expire(now: number, tombstoneMs: number) {
    return this.#commit.run(() => {
      const expired = this.#sql.entomb.run({ now, until: now + tombstoneMs }).changes;
      if (expired > 0) this.#cache.clear();
      const purged = this.#sql.purgeTombstones.run(now).changes;
      this.#sql.purgeKeys.run(now);
      return { expired, purged };
    });
  }

  async recoverExpiredLeases(now: number, expiresAt: number): Promise<RecoveryResult> {
    const recovered = await this.#commit.run(() => {
      const result: RecoveryResult = { requeued: [], failed: [], canceled: [] };
      const rows = this.#sql.expiredLeases.all(now);
      const signals = rows.map((row) => [row, 'finished'] as [OperationRow, ChangeSignal['kind']]);
      for (const [index, row] of rows.entries()) {
        this.#stale(row.id);
        if (row.cancel_requested === 1) {
          endUnleased(this.#sql, row, 'Canceled', CANCELED_ERROR, 409, expiresAt, now);
          result.canceled.push(row.id);
        } else if (row.attempts >= row.max_attempts) {
          const error = attemptsExhaustedError(row.attempts);
          endUnleased(this.#sql, row, 'Failed', error, 500, expiresAt, now);
          result.failed.push(row.id);
        } else {
          const message = `Interrupted (its worker stopped); running again, attempt ${row.attempts + 1} of ${row.max_attempts}.`;
          this.#sql.requeue.run({ id: row.id, now, message });
          result.requeued.push(row.id);
          signals[index]![1] = 'created';
        }
      }
      return { result, signals };
    });
    for (const [row, kind] of recovered.signals) this.#signal(row, kind);
    return recovered.result;
  }

  async recordDurations(samples: readonly DurationSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.#commit.run(() => this.#durations.record(samples, Date.now()));
  }

  async recentDurations(kind: string): Promise<DurationHistory[]> {
    return this.#durations.recent(kind);
  }

  async durationCounts(query: DurationCountQuery): Promise<DurationCount[]> {
    return this.#durations.counts(query);
  }

  async readEvents(
    tenant: string,
    id: string,
    afterRevision: number,
    limit: number,
  ): Promise<EventHistory> {
    return this.#events.read(tenant, id, afterRevision, limit);
  }

  async readTenantEvents(tenant: string, after: string | undefined, limit: number) {
    return this.#events.readTenant(tenant, after, limit) satisfies TenantEvents;
  }

  /** The event log's reads, prepared after the schema check of #sql (as #durations). */
  get #events(): SqliteEventLog {
    if (!this.#eventLog) {
      void this.#sql;
      this.#eventLog = new SqliteEventLog(this.#db);
    }
    return this.#eventLog;
  }

  onChange(listener: (signal: ChangeSignal) => void): () => void {
    return this.#signals.on(listener);
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    // Writes already requested commit first: their callers are waiting for an answer.
    await this.#commit.flush();
    this.#walSync.close();
    // A closed store answers nothing, not even from memory.
    this.#cache.clear();
    if (this.#db.open) this.#db.close();
  }

  #row(id: string): OperationRow | undefined {
    return this.#sql.byId.get(id);
  }

  /**
   * Called inside a write, so the cached record goes at commit time: the commit is visible (to a
   * stream reading the event log, say) before it is durable and answered, and a GET in between must
   * not serve the older revision. Returns false so a write can be `this.#stale(id) || statement`.
   */
  #stale(id: string): false {
    this.#cache.delete(id);
    return false;
  }

  /** Every change goes through here after its commit: the cached record is stale from now on. */
  #signal(operation: { id: string; tenant: string; kind?: string }, kind: ChangeSignal['kind']) {
    this.#cache.delete(operation.id);
    this.#signals.emit(changeSignal(operation, kind));
  }
}

/** For writes that are a single statement (or independent ones): no savepoint needed. */
const ATOMIC = { atomic: true } as const;
