import type { OperationStatus, StepStatus, TerminalStatus } from '../protocol/operation-state.js';
import type { ErrorBody } from '../protocol/problem.js';
import type { WebhookStore } from './webhook-store.js';

/** One node of an operation's step tree, as persisted. */
export interface StepRecord {
  id: string;
  title: string;
  status: StepStatus;
  percentComplete?: number;
  progress?: ProgressRecord;
  message?: string;
  startTime?: number;
  endTime?: number;
  error?: ErrorBody;
  weight?: number;
  steps?: StepRecord[];
  /** Checkpoint: the step succeeded and its outcome is recorded, so a later attempt skips it. */
  checkpointed?: boolean;
  /** The value the step's function returned (JSON), handed back when a later attempt skips it. */
  value?: unknown;
}

export interface ProgressRecord {
  completed: number;
  total?: number;
  unit?: string;
}

/** How the operation was started: decides what its result monitor answers (a DELETE has no result). */
export type StartMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Everything the store keeps about one operation. Times are epoch milliseconds. */
export interface OperationRecord {
  id: string;
  tenant: string;
  kind: string;
  title: string | undefined;
  method: StartMethod;
  status: OperationStatus;
  input: unknown;
  message: string | undefined;
  percentComplete: number | undefined;
  progress: ProgressRecord | undefined;
  steps: StepRecord[];
  result: unknown;
  resourceLocation: string | undefined;
  error: ErrorBody | undefined;
  /** HTTP status the result monitor answers once finished: 200/201 on success, the error's on failure. */
  resultHttpStatus: number | undefined;
  cancelRequested: boolean;
  attempts: number;
  maxAttempts: number;
  revision: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** When a finished operation stops being readable and becomes a tombstone (410). */
  expiresAt: number | undefined;
}

export interface NewOperation {
  tenant: string;
  kind: string;
  title: string | undefined;
  method: StartMethod;
  input: unknown;
  /** The planned step tree, all NotStarted. */
  steps: StepRecord[];
  maxAttempts: number;
  idempotency?: IdempotencyClaim;
}

/** An idempotency key, scoped to the caller and the route, stored in the same transaction as the operation. */
export interface IdempotencyClaim {
  /** Method and route path, e.g. `POST /reports`. */
  scope: string;
  key: string;
  /** Hash of the request: a replay with another request is refused. */
  fingerprint: string;
  /** Epoch ms after which the key may be forgotten. */
  expiresAt: number;
}

export type CreateResult =
  | { outcome: 'created'; operation: OperationRecord }
  | { outcome: 'replayed'; operation: OperationRecord }
  | { outcome: 'key-reused' };

export type Lookup<T> =
  | { outcome: 'found'; operation: T }
  | { outcome: 'gone' }
  | { outcome: 'missing' };

export interface ListQuery {
  tenant: string;
  statuses?: readonly OperationStatus[];
  kinds?: readonly string[];
  limit: number;
  /** Return operations created before this id (ids are time-ordered; lists run newest first). */
  beforeId?: string;
}

/** The proof of a claim. Every write a worker makes carries it; a write under a lost lease changes nothing. */
export interface Lease {
  id: string;
  tenant: string;
  token: string;
}

export interface ClaimRequest {
  workerId: string;
  kinds: readonly string[];
  limit: number;
  leaseMs: number;
}

export interface ClaimedOperation {
  lease: Lease;
  operation: OperationRecord;
}

export interface RenewResult {
  id: string;
  held: boolean;
  cancelRequested: boolean;
}

/** What a running operation reports. Absent fields keep their stored value. */
export interface ProgressUpdate {
  message?: string;
  percentComplete?: number;
  progress?: ProgressRecord;
  steps?: StepRecord[];
}

export interface FinishOutcome extends ProgressUpdate {
  status: TerminalStatus;
  result?: unknown;
  resourceLocation?: string;
  error?: ErrorBody;
  resultHttpStatus?: number;
  expiresAt: number;
}

export interface ReleaseOptions extends ProgressUpdate {
  /** Epoch ms before which no worker may claim it again. */
  runAfter: number;
  /** A graceful release (shutdown) gives the attempt back. */
  refundAttempt: boolean;
}

export type CancelResult =
  | { outcome: 'canceled' | 'canceling' | 'already-canceled'; operation: OperationRecord }
  | { outcome: 'finished'; operation: OperationRecord }
  | { outcome: 'gone' }
  | { outcome: 'missing' };

export type DeleteResult = 'deleted' | 'not-finished' | 'gone' | 'missing';

export interface RecoveryResult {
  requeued: string[];
  failed: string[];
  canceled: string[];
}

/** A "look again" signal: something about this operation changed. Carries no state. */
export interface ChangeSignal {
  id: string;
  tenant: string;
  kind: 'created' | 'updated' | 'cancel-requested' | 'finished';
  /** The operation's kind, on `created` signals: a worker that does not run it need not look. */
  operationKind?: string;
}

/** Which change signals a listener acts on (see Store.onChange). */
export interface ChangeInterest {
  /** The kinds it acts on. Default: every kind. */
  kinds?: readonly ChangeSignal['kind'][];
  /** Only the signals of this store's own writes, none from other processes. Default false. */
  ownWrites?: boolean;
}

/** What an entry of an operation's event log says changed. */
export type OperationEventType = 'status' | 'progress' | 'step' | 'message';

/**
 * One entry of an operation's event log, appended in the same statement as the write it records. A
 * write may append several (in this order): `step` `{steps: [{id, title, status, percentComplete?,
 * progress?, message?}]}` (the new or changed steps, flattened), `progress` `{percentComplete?,
 * progress?}`, `message` `{message}`, `status` `{status, done}`. Every revision has at least one
 * (a `status` when nothing shown changed), so a revision missing from the log means it was trimmed.
 */
export interface OperationEvent {
  operationId: string;
  /** The revision of the operation this event belongs to. */
  revision: number;
  type: OperationEventType;
  data: Record<string, unknown>;
  /** Epoch ms of the write. */
  createdAt: number;
  /** This event's place in its tenant's feed (readTenantEvents): opaque; give it back as `after`. */
  cursor: string;
}

/**
 * The events of one operation after a revision: `trimmed` when the log no longer holds all of them
 * (retention; the reader sends a fresh snapshot instead), `missing` when the operation is not the
 * tenant's or no longer exists.
 */
export type EventHistory =
  | { outcome: 'events'; events: OperationEvent[] }
  | { outcome: 'trimmed' }
  | { outcome: 'missing' };

/** A page of a tenant's feed: the events of all its operations, in commit order. */
export interface TenantEvents {
  events: OperationEvent[];
  /** Where the next read continues: the last event's cursor, or the position asked for. */
  cursor: string;
  /** `after` was absent or not a cursor of this store: no events, `cursor` is the feed's end now. */
  restarted: boolean;
  /**
   * False when committed events after `cursor` are held back until older transactions settle (so that
   * none is skipped): read again shortly. Always true where writes commit in cursor order.
   */
  settled: boolean;
}

/** The outcome a duration is counted under: an operation's end, or a step's that ran. */
export type DurationStatus = 'Succeeded' | 'Failed' | 'Canceled';

/**
 * How long one finished run took: the whole operation (`path` = []) or one step that ran (`path` =
 * titles from its top-level step down). Recorded by the worker once the operation has finished.
 */
export interface DurationSample {
  tenant: string;
  kind: string;
  path: readonly string[];
  status: DurationStatus;
  durationMs: number;
  /** Epoch ms when it ended: decides the hour it is counted in. */
  endedAt: number;
}

/** The recent successful durations of one step path of a kind (`[]` = the operation), newest first. */
export interface DurationHistory {
  path: string[];
  durationsMs: number[];
}

export interface DurationCountQuery {
  tenant: string;
  /** Epoch ms: counts of every hour that ends after it (whole hours: up to an hour more than asked). */
  since: number;
}

/** One histogram row: how many runs of a kind/step ended with `status` in duration `bucket`. */
export interface DurationCount {
  kind: string;
  path: string[];
  status: DurationStatus;
  /** See durationBucket() in protocol/durations.ts: logarithmic, about 5 % wide. */
  bucket: number;
  count: number;
}

export type {
  NewWebhookSubscription,
  WebhookAttempt,
  WebhookCallback,
  WebhookDelivery,
  WebhookDeliveryState,
  WebhookEventType,
  WebhookStore,
  WebhookSubscription,
} from './webhook-store.js';

/** Differences between engines, declared once and read by core code instead of engine checks. */
export interface StoreCapabilities {
  /** Change signals reach other processes (PostgreSQL NOTIFY); otherwise only this process hears them. */
  crossProcessSignals: boolean;
  /** Several processes may open the same store at once. */
  sharedAcrossProcesses: boolean;
}

/**
 * Persistence of operations, in operation terms. Implementations: SqliteStore (and, later, PostgresStore),
 * all held to the same conformance suite (test/store/conformance.ts).
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  /** Applies pending migrations. Safe to call more than once, and from several processes at once. */
  migrate(): Promise<void>;
  /** The schema version the database has, and the one this code needs (for `longrun doctor`). */
  schemaVersion(): Promise<{ current: number; latest: number }>;
  create(operation: NewOperation): Promise<CreateResult>;
  get(tenant: string, id: string): Promise<Lookup<OperationRecord>>;
  /**
   * The operation at once, when the store holds its latest state in memory (SQLite's record cache:
   * one process makes every write), so a poll needs no turn of the event loop. Undefined means
   * "ask get()": not in memory, another tenant's, or past its retention. Stores without such a
   * memory leave it out.
   */
  cached?(tenant: string, id: string): OperationRecord | undefined;
  /** The succeeded operation that created or updated the resource at this location (app-relative path). */
  findByResourceLocation(tenant: string, location: string): Promise<OperationRecord | undefined>;
  list(query: ListQuery): Promise<OperationRecord[]>;
  /** Claims up to `limit` runnable operations of the given kinds: Running, attempts + 1, a fresh lease. */
  claim(request: ClaimRequest): Promise<ClaimedOperation[]>;
  renew(leases: readonly Lease[], leaseMs: number): Promise<RenewResult[]>;
  /** False when the lease was lost: nothing was written. */
  update(lease: Lease, update: ProgressUpdate): Promise<boolean>;
  /** False when the lease was lost. A success that loses to a cancel request is recorded as Canceled. */
  finish(lease: Lease, outcome: FinishOutcome): Promise<boolean>;
  /** Gives the operation back to the queue (shutdown, retryable failure). False when the lease was lost. */
  release(lease: Lease, options: ReleaseOptions): Promise<boolean>;
  requestCancel(tenant: string, id: string, expiresAt: number): Promise<CancelResult>;
  delete(tenant: string, id: string): Promise<DeleteResult>;
  /** Finished operations past `expiresAt` become tombstones; tombstones older than `tombstoneMs` go. */
  expire(now: number, tombstoneMs: number): Promise<{ expired: number; purged: number }>;
  /** Operations whose lease expired (their worker died): requeued, or failed past their attempt limit. */
  recoverExpiredLeases(now: number, expiresAt: number): Promise<RecoveryResult>;
  /**
   * Records finished runs (see protocol/durations.ts): every sample is counted per tenant, kind, step
   * path, status and hour; successes also join the kind-wide history estimates read, which keeps the
   * newest DURATION_HISTORY_LIMIT per kind and path.
   */
  recordDurations(samples: readonly DurationSample[]): Promise<void>;
  /** The recent successful durations of a kind, all tenants, per step path: what estimates start from. */
  recentDurations(kind: string): Promise<DurationHistory[]>;
  /** The caller's duration histogram since `since`, per kind, path, status and bucket (for stats). */
  durationCounts(query: DurationCountQuery): Promise<DurationCount[]>;
  /**
   * The event log of the tenant's operation `id` after `afterRevision`, oldest first (by revision, then
   * in the order they were written), at most `limit` events; the last revision read may be cut short
   * by the limit. Retained: the last 256 revisions while running, the last 64 once ended, none once
   * the operation is entombed or deleted.
   */
  readEvents(
    tenant: string,
    id: string,
    afterRevision: number,
    limit: number,
  ): Promise<EventHistory>;
  /**
   * The events of all the tenant's operations after `after` (a cursor from an event or an earlier
   * read), at most `limit`. Without `after` (or with a cursor this store does not know): no events
   * and the current end of the feed (`restarted`). Events of ended operations are compacted as in
   * readEvents: a resume long after sees the events retained.
   */
  readTenantEvents(tenant: string, after: string | undefined, limit: number): Promise<TenantEvents>;
  /**
   * Calls `listener` with every change signal from now on, this process's and (where the store has
   * crossProcessSignals) other processes'. `interest` says what the listener acts on: a store may
   * then leave out the rest, so a worker that wants `created` and `cancel-requested` is not woken by
   * every other operation's progress. A signal with an empty id means "look again".
   */
  onChange(listener: (signal: ChangeSignal) => void, interest?: ChangeInterest): () => void;
  /** Webhook subscriptions, callbacks and the delivery outbox (migration 0004). */
  readonly webhooks: WebhookStore;
  close(): Promise<void>;
}
