import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lease } from '../../../src/store/store.js';
import {
  type CurrentStore,
  claimOne,
  clockPast,
  createAndClaim,
  createOperation,
  found,
  succeeded,
  waitFor,
} from './harness.js';

export function describeClaimAndRenew(current: CurrentStore): void {
  describe('claim', () => {
    it('claims NotStarted operations as Running, with a fresh lease and one more attempt', async () => {
      const store = current();
      const created = await createOperation(store, { maxAttempts: 2 });
      const before = Date.now();
      const [claimed, ...rest] = await store.claim({
        workerId: 'worker-1',
        kinds: [created.kind],
        limit: 5,
        leaseMs: 30_000,
      });
      assert.equal(rest.length, 0);
      assert.ok(claimed);
      assert.deepEqual(
        { id: claimed.lease.id, tenant: claimed.lease.tenant },
        {
          id: created.id,
          tenant: created.tenant,
        },
      );
      assert.ok(claimed.lease.token.length > 0);
      const read = await found(store, created.id);
      for (const operation of [claimed.operation, read]) {
        assert.equal(operation.status, 'Running');
        assert.equal(operation.attempts, 1);
        assert.equal(operation.maxAttempts, 2);
        assert.ok(operation.startedAt !== undefined && operation.startedAt >= before);
        assert.ok(operation.startedAt <= Date.now());
        assert.deepEqual(operation.input, created.input);
      }
    });

    it('claims only the given kinds, at most limit at a time', async () => {
      const store = current();
      for (const kind of ['a', 'a', 'a', 'b', 'b', 'c']) await createOperation(store, { kind });
      const request = { workerId: 'worker-1', kinds: ['a', 'c'], limit: 3, leaseMs: 30_000 };
      const first = await store.claim(request);
      assert.equal(first.length, 3);
      const second = await store.claim(request);
      assert.equal(second.length, 1);
      assert.deepEqual(await store.claim(request), []);
      const kinds = [...first, ...second].map((claimed) => claimed.operation.kind).sort();
      assert.deepEqual(kinds, ['a', 'a', 'a', 'c']);
      assert.deepEqual(await store.claim({ ...request, kinds: [] }), []);
      const b = await store.claim({ ...request, kinds: ['b'], limit: 1 });
      assert.equal(b.length, 1);
    });

    it('claims each operation once, even with two claims at the same time', async () => {
      const store = current();
      for (let index = 0; index < 6; index++) await createOperation(store);
      const request = { kinds: ['report.build'], limit: 4, leaseMs: 30_000 };
      const [one, two] = await Promise.all([
        store.claim({ ...request, workerId: 'worker-1' }),
        store.claim({ ...request, workerId: 'worker-2' }),
      ]);
      const ids = [...one, ...two].map((claimed) => claimed.operation.id);
      assert.equal(ids.length, 6);
      assert.equal(new Set(ids).size, 6, 'no operation is claimed twice');
      assert.ok(one.length <= 4 && two.length <= 4);
      for (const claimed of [...one, ...two]) assert.equal(claimed.operation.attempts, 1);
    });

    it('does not claim what another worker holds', async () => {
      const store = current();
      await createAndClaim(store);
      const again = await store.claim({
        workerId: 'worker-2',
        kinds: ['report.build'],
        limit: 5,
        leaseMs: 30_000,
      });
      assert.deepEqual(again, []);
    });
  });

  describe('renew', () => {
    it('keeps a held lease past its first expiry', async () => {
      const store = current();
      const { lease, operation } = await createAndClaim(store, {}, 150);
      const renewed = await store.renew([lease], 30_000);
      assert.deepEqual(renewed, [{ id: lease.id, held: true, cancelRequested: false }]);
      await clockPast(operation.startedAt! + 150 + 20);
      const recovered = await store.recoverExpiredLeases(Date.now(), Date.now() + 60_000);
      assert.deepEqual(recovered, { requeued: [], failed: [], canceled: [] });
      assert.ok(await store.update(lease, { message: 'still mine' }));
    });

    it('reports a lease lost once the operation finished', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      assert.ok(await store.finish(lease, succeeded()));
      assert.deepEqual(await store.renew([lease], 30_000), [
        { id: lease.id, held: false, cancelRequested: false },
      ]);
    });

    it('reports a lease lost once another worker claimed the operation', async () => {
      const store = current();
      const { lease: old } = await createAndClaim(store, {}, 20);
      await waitFor('the expired lease to be requeued', async () => {
        const result = await store.recoverExpiredLeases(Date.now(), Date.now() + 60_000);
        return result.requeued.includes(old.id);
      });
      const { lease: fresh } = await claimOne(store, { workerId: 'worker-2' });
      assert.equal(fresh.id, old.id);
      assert.notEqual(fresh.token, old.token);
      const results = await store.renew([old, fresh], 30_000);
      assert.deepEqual(results, [
        { id: old.id, held: false, cancelRequested: false },
        { id: fresh.id, held: true, cancelRequested: false },
      ]);
    });

    it('reports a cancel request to the lease holder', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const other = await createAndClaim(store, { kind: 'other.kind' });
      await store.requestCancel(lease.tenant, lease.id, Date.now() + 60_000);
      const results = await store.renew([lease, other.lease], 30_000);
      assert.deepEqual(results, [
        { id: lease.id, held: true, cancelRequested: true },
        { id: other.lease.id, held: true, cancelRequested: false },
      ]);
    });

    it('answers an empty renewal with nothing', async () => {
      const none: Lease[] = [];
      assert.deepEqual(await current().renew(none, 30_000), []);
    });
  });
}
