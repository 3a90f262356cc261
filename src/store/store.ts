import type { OperationStatus, StepStatus, TerminalStatus } from '../protocol/operation-state.js';
import type { ErrorBody } from '../protocol/problem.js';

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
}

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
  onChange(listener: (signal: ChangeSignal) => void): () => void;
  close(): Promise<void>;
}
