import assert from 'node:assert/strict';
import { afterEach, beforeEach } from 'node:test';
import type {
  ChangeSignal,
  ClaimedOperation,
  FinishOutcome,
  NewOperation,
  OperationRecord,
  Store,
} from '../../../src/store/store.js';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

/** Opens a fresh, migrated, empty store; `cleanup` closes it and removes what it made. */
export type OpenStore = () => Promise<OpenedStore>;

/** The open store of the running test. */
export type CurrentStore = () => Store;

export const TENANT = 'tenant-a';
export const OTHER_TENANT = 'tenant-b';
export const KIND = 'report.build';

/** Opens a fresh store before each test of the enclosing suite and cleans it up after. */
export function freshStorePerTest(open: OpenStore): CurrentStore {
  let opened: OpenedStore | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    const done = opened;
    opened = undefined;
    await done?.cleanup();
  });
  return () => {
    if (!opened) throw new Error('No store is open: use the store inside a test.');
    return opened.store;
  };
}

export function newOperation(overrides: Partial<NewOperation> = {}): NewOperation {
  return {
    tenant: TENANT,
    kind: KIND,
    title: 'Quarterly report',
    method: 'POST',
    input: { quarter: 'Q3' },
    steps: [{ id: 'collect', title: 'Collect', status: 'NotStarted' }],
    maxAttempts: 3,
    ...overrides,
  };
}

/** Creates an operation and insists it was created (not replayed). */
export async function createOperation(
  store: Store,
  overrides: Partial<NewOperation> = {},
): Promise<OperationRecord> {
  const result = await store.create(newOperation(overrides));
  assert.equal(result.outcome, 'created');
  return result.operation;
}

/** Reads an operation and insists it is there. */
export async function found(store: Store, id: string, tenant = TENANT): Promise<OperationRecord> {
  const lookup = await store.get(tenant, id);
  assert.equal(lookup.outcome, 'found', `operation ${id} should be readable by ${tenant}`);
  return lookup.operation;
}

/** Claims exactly one operation of `kind`. */
export async function claimOne(
  store: Store,
  options: { kind?: string; leaseMs?: number; workerId?: string } = {},
): Promise<ClaimedOperation> {
  const claimed = await store.claim({
    workerId: options.workerId ?? 'worker-1',
    kinds: [options.kind ?? KIND],
    limit: 1,
    leaseMs: options.leaseMs ?? 30_000,
  });
  assert.equal(claimed.length, 1, 'one operation should be claimable');
  return claimed[0]!;
}

/** Creates an operation and claims it: the usual start of a lease test. */
export async function createAndClaim(
  store: Store,
  overrides: Partial<NewOperation> = {},
  leaseMs = 30_000,
): Promise<ClaimedOperation> {
  const operation = await createOperation(store, overrides);
  const claimed = await claimOne(store, { kind: operation.kind, leaseMs });
  assert.equal(claimed.operation.id, operation.id);
  return claimed;
}

export const inAnHour = () => Date.now() + 3_600_000;

export function succeeded(overrides: Partial<FinishOutcome> = {}): FinishOutcome {
  return {
    status: 'Succeeded',
    result: { rows: 3 },
    resultHttpStatus: 200,
    expiresAt: inAnHour(),
    ...overrides,
  };
}

/**
 * Polls `probe` every few milliseconds until it returns something other than undefined or false, and
 * returns that. Fails after `timeoutMs` naming what it waited for. Tests wait on conditions, not sleeps.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 2_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves once the clock has passed `time` (epoch ms). */
export function clockPast(time: number): Promise<true> {
  return waitFor(`the clock to pass ${time}`, () => Date.now() > time || undefined);
}

/** Records every change signal the store emits until `stop()`. */
export function recordSignals(store: Store) {
  const seen: ChangeSignal[] = [];
  // A "look again" signal (empty id, sent when a store starts listening) is about no write: not kept.
  const stop = store.onChange((signal) => {
    if (signal.id !== '') seen.push(signal);
  });
  return {
    seen,
    stop,
    /** The kinds signalled for one operation, in order. */
    kindsOf: (id: string) => seen.filter((signal) => signal.id === id).map((signal) => signal.kind),
    /** Waits until a signal of `kind` arrived for `id`, and returns it. */
    waitFor: (id: string, kind: ChangeSignal['kind']) =>
      waitFor(`a '${kind}' signal for ${id}`, () =>
        seen.find((signal) => signal.id === id && signal.kind === kind),
      ),
  };
}

/**
 * Returns once every signal of the writes already made has arrived, so a test may assert that one did
 * not come. A marker operation is written under its own tenant; its signal is the fence.
 */
export async function signalsSettled(store: Store, signals: ReturnType<typeof recordSignals>) {
  // In-process signals are emitted before the write's promise resolves: none can still be on its way.
  // Cross-process signals travel through the database (e.g. NOTIFY) and arrive after the write
  // resolves, in commit order: the marker's signal arriving means the earlier ones have too.
  if (!store.capabilities.crossProcessSignals) return;
  const marker = await createOperation(store, { tenant: 'signal-fence', kind: 'signal.fence' });
  await signals.waitFor(marker.id, 'created');
}
