import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecoveryResult, Store } from '../../../src/store/store.js';
import {
  type CurrentStore,
  claimOne,
  createAndClaim,
  createOperation,
  found,
  inAnHour,
  newOperation,
  OTHER_TENANT,
  recordSignals,
  signalsSettled,
  succeeded,
  TENANT,
  waitFor,
} from './harness.js';

/** Runs recovery until it has dealt with `id`, and returns what it did in that run. */
function recoverUntil(store: Store, id: string, expiresAt = inAnHour()): Promise<RecoveryResult> {
  return waitFor(`the lease of ${id} to be recovered`, async () => {
    const result = await store.recoverExpiredLeases(Date.now(), expiresAt);
    const touched = [...result.requeued, ...result.failed, ...result.canceled];
    return touched.includes(id) && result;
  });
}

export function describeRecoveryAndSignals(current: CurrentStore): void {
  describe('recoverExpiredLeases', () => {
    it('requeues an expired lease, and only that one', async () => {
      const store = current();
      const held = await createAndClaim(store, { kind: 'long.kind' }, 30_000);
      const { lease, operation } = await createAndClaim(store, { maxAttempts: 2 }, 20);
      const signals = recordSignals(store);
      const result = await recoverUntil(store, lease.id);
      assert.deepEqual(result, { requeued: [lease.id], failed: [], canceled: [] });
      // Queued again, it wakes a worker that runs its kind, as a new operation does.
      assert.deepEqual(await signals.waitFor(lease.id, 'created'), {
        id: lease.id,
        tenant: operation.tenant,
        kind: 'created',
        operationKind: operation.kind,
      });
      signals.stop();
      assert.equal(
        await store.update(lease, { message: 'late' }),
        false,
        'the dead lease is fenced',
      );
      assert.ok(await store.update(held.lease, { message: 'fine' }), 'a live lease is untouched');
      const again = await claimOne(store, { workerId: 'worker-2' });
      assert.equal(again.operation.id, lease.id);
      assert.equal(again.operation.attempts, 2);
    });

    it('fails an operation whose last attempt was interrupted', async () => {
      const store = current();
      const { lease } = await createAndClaim(store, { maxAttempts: 1 }, 20);
      const expiresAt = inAnHour();
      const result = await recoverUntil(store, lease.id, expiresAt);
      assert.deepEqual(result, { requeued: [], failed: [lease.id], canceled: [] });
      const read = await found(store, lease.id);
      assert.equal(read.status, 'Failed');
      assert.equal(read.error?.code, 'AttemptsExhausted');
      assert.ok(read.error?.message);
      assert.equal(read.expiresAt, expiresAt);
      assert.ok(read.endedAt !== undefined);
      assert.deepEqual(
        await store.claim({ workerId: 'w', kinds: [read.kind], limit: 1, leaseMs: 1000 }),
        [],
      );
    });

    it('cancels an interrupted operation whose cancel was requested', async () => {
      const store = current();
      const { lease } = await createAndClaim(store, { maxAttempts: 3 }, 20);
      await store.requestCancel(TENANT, lease.id, inAnHour());
      const result = await recoverUntil(store, lease.id);
      assert.deepEqual(result, { requeued: [], failed: [], canceled: [lease.id] });
      const read = await found(store, lease.id);
      assert.equal(read.status, 'Canceled');
      assert.equal(read.error?.code, 'Canceled');
    });
  });

  describe('onChange', () => {
    it('signals created, updated, cancel-requested and finished with id and tenant', async () => {
      const store = current();
      const signals = recordSignals(store);
      const created = await createOperation(store, { tenant: OTHER_TENANT });
      // A new operation's signal names its kind: a worker that does not run it need not claim.
      assert.deepEqual(await signals.waitFor(created.id, 'created'), {
        id: created.id,
        tenant: OTHER_TENANT,
        kind: 'created',
        operationKind: created.kind,
      });
      // Starting to run is a change a watcher must see (NotStarted -> Running), like any update.
      const { lease } = await claimOne(store);
      await store.update(lease, { percentComplete: 10 });
      await store.requestCancel(OTHER_TENANT, lease.id, inAnHour());
      await store.finish(lease, succeeded());
      const finished = await signals.waitFor(lease.id, 'finished');
      assert.deepEqual(finished, { id: lease.id, tenant: OTHER_TENANT, kind: 'finished' });
      // One signal per write, in the order of the writes.
      assert.deepEqual(signals.kindsOf(lease.id), [
        'created',
        'updated',
        'updated',
        'cancel-requested',
        'finished',
      ]);
      signals.stop();
    });

    it('signals finished when a queued operation is canceled or recovery ends one', async () => {
      const store = current();
      const signals = recordSignals(store);
      const queued = await createOperation(store);
      await store.requestCancel(TENANT, queued.id, inAnHour());
      await signals.waitFor(queued.id, 'finished');
      const { lease } = await createAndClaim(store, { maxAttempts: 1 }, 20);
      await recoverUntil(store, lease.id);
      await signals.waitFor(lease.id, 'finished');
      signals.stop();
    });

    it('does not signal writes that changed nothing, nor after unsubscribing', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const idempotency = { scope: 'POST /r', key: 'k', fingerprint: 'f', expiresAt: inAnHour() };
      await createOperation(store, { kind: 'keyed', idempotency });
      const signals = recordSignals(store);
      await store.update({ ...lease, token: 'forged' }, { message: 'x' });
      await store.finish({ ...lease, token: 'forged' }, succeeded());
      await store.release({ ...lease, token: 'forged' }, { runAfter: 0, refundAttempt: true });
      assert.equal(
        (await store.create(newOperation({ kind: 'keyed', idempotency }))).outcome,
        'replayed',
      );
      await store.renew([lease], 30_000);
      await signalsSettled(store, signals);
      assert.deepEqual(
        signals.seen.filter((signal) => signal.tenant !== 'signal-fence'),
        [],
      );
      signals.stop();
      await store.update(lease, { message: 'unheard' });
      const fence = recordSignals(store);
      await signalsSettled(store, fence);
      fence.stop();
      assert.deepEqual(
        signals.seen.filter((signal) => signal.tenant !== 'signal-fence'),
        [],
      );
    });

    it('survives a listener that throws', async () => {
      const store = current();
      const stopThrowing = store.onChange(() => {
        throw new Error('listener bug');
      });
      const signals = recordSignals(store);
      const created = await createOperation(store);
      await signals.waitFor(created.id, 'created');
      await found(store, created.id);
      stopThrowing();
      signals.stop();
    });
  });

  describe('close', () => {
    it('lets a write already under way finish, and may be called twice', async () => {
      const store = current();
      const pending = store.create(newOperation());
      await store.close();
      assert.equal((await pending).outcome, 'created');
      await store.close();
    });

    it('rejects calls after close instead of crashing', async () => {
      const store = current();
      const created = await createOperation(store);
      await store.close();
      await assert.rejects(store.get(TENANT, created.id));
      await assert.rejects(store.create(newOperation()));
    });
  });
}
