import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CurrentStore,
  clockPast,
  createAndClaim,
  createOperation,
  found,
  inAnHour,
  OTHER_TENANT,
  succeeded,
  TENANT,
} from './harness.js';

export function describeCancelDeleteExpire(current: CurrentStore): void {
  describe('requestCancel', () => {
    it('cancels a NotStarted operation at once', async () => {
      const store = current();
      const created = await createOperation(store);
      const expiresAt = inAnHour();
      const result = await store.requestCancel(TENANT, created.id, expiresAt);
      assert.equal(result.outcome, 'canceled');
      for (const operation of [
        result.outcome === 'canceled' ? result.operation : undefined,
        await found(store, created.id),
      ]) {
        assert.equal(operation?.status, 'Canceled');
        assert.equal(operation?.error?.code, 'Canceled');
        assert.ok(operation?.error?.message);
        assert.equal(operation?.cancelRequested, true);
        assert.equal(operation?.resultHttpStatus, 409);
        assert.equal(operation?.expiresAt, expiresAt);
        assert.ok(operation?.endedAt !== undefined);
      }
      assert.deepEqual(
        await store.claim({ workerId: 'w', kinds: [created.kind], limit: 1, leaseMs: 1000 }),
        [],
        'a canceled operation never runs',
      );
    });

    it('marks a running operation Canceling until its worker stops', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const result = await store.requestCancel(TENANT, lease.id, inAnHour());
      assert.equal(result.outcome, 'canceling');
      const read = await found(store, lease.id);
      assert.equal(read.status, 'Canceling');
      assert.equal(read.cancelRequested, true);
      assert.equal(read.endedAt, undefined);
      assert.ok(
        await store.finish(lease, {
          status: 'Canceled',
          error: { code: 'Canceled', message: 'Canceled.' },
          resultHttpStatus: 409,
          expiresAt: inAnHour(),
        }),
      );
      assert.equal((await found(store, lease.id)).status, 'Canceled');
    });

    it('is idempotent', async () => {
      const store = current();
      const queued = await createOperation(store);
      await store.requestCancel(TENANT, queued.id, inAnHour());
      const canceled = await found(store, queued.id);
      const again = await store.requestCancel(TENANT, queued.id, inAnHour());
      assert.equal(again.outcome, 'already-canceled');
      assert.deepEqual(await found(store, queued.id), canceled);

      const { lease } = await createAndClaim(store);
      await store.requestCancel(TENANT, lease.id, inAnHour());
      const canceling = await found(store, lease.id);
      const repeat = await store.requestCancel(TENANT, lease.id, inAnHour());
      assert.equal(repeat.outcome, 'canceling');
      assert.deepEqual(
        await found(store, lease.id),
        canceling,
        'a repeated request changes nothing',
      );
    });

    it('leaves finished operations alone', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await store.finish(lease, succeeded());
      const before = await found(store, lease.id);
      const result = await store.requestCancel(TENANT, lease.id, inAnHour());
      assert.equal(result.outcome, 'finished');
      assert.deepEqual(await found(store, lease.id), before);

      const failed = await createAndClaim(store, { kind: 'other.kind' });
      const error = { code: 'Internal', message: 'Boom.' };
      await store.finish(failed.lease, { status: 'Failed', error, expiresAt: inAnHour() });
      assert.equal(
        (await store.requestCancel(TENANT, failed.lease.id, inAnHour())).outcome,
        'finished',
      );
      assert.equal((await found(store, failed.lease.id)).status, 'Failed');
    });

    it('answers missing for another tenant’s or an unknown operation', async () => {
      const store = current();
      const created = await createOperation(store);
      assert.deepEqual(await store.requestCancel(OTHER_TENANT, created.id, inAnHour()), {
        outcome: 'missing',
      });
      assert.equal((await found(store, created.id)).status, 'NotStarted');
      assert.deepEqual(await store.requestCancel(TENANT, 'no-such-operation', inAnHour()), {
        outcome: 'missing',
      });
    });
  });

  describe('delete', () => {
    it('forgets a finished operation', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await store.finish(lease, succeeded());
      const canceled = await createOperation(store);
      await store.requestCancel(TENANT, canceled.id, inAnHour());
      for (const id of [lease.id, canceled.id]) {
        assert.equal(await store.delete(TENANT, id), 'deleted');
        assert.deepEqual(await store.get(TENANT, id), { outcome: 'missing' });
        assert.equal(await store.delete(TENANT, id), 'missing');
      }
      assert.deepEqual(await store.list({ tenant: TENANT, limit: 10 }), []);
    });

    it('refuses an operation that has not finished', async () => {
      const store = current();
      const queued = await createOperation(store);
      const running = await createAndClaim(store, { kind: 'running.kind' });
      const canceling = await createAndClaim(store, { kind: 'canceling.kind' });
      await store.requestCancel(TENANT, canceling.lease.id, inAnHour());
      for (const id of [queued.id, running.lease.id, canceling.lease.id]) {
        assert.equal(await store.delete(TENANT, id), 'not-finished');
        await found(store, id);
      }
    });

    it('answers missing for another tenant’s operation', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await store.finish(lease, succeeded());
      assert.equal(await store.delete(OTHER_TENANT, lease.id), 'missing');
      await found(store, lease.id);
    });
  });

  describe('expire', () => {
    it('hides a finished operation once past expiresAt', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const expiresAt = Date.now() + 40;
      await store.finish(lease, succeeded({ expiresAt }));
      await clockPast(expiresAt);
      assert.deepEqual(await store.get(TENANT, lease.id), { outcome: 'gone' });
      assert.deepEqual(await store.list({ tenant: TENANT, limit: 10 }), []);
      assert.deepEqual(await store.requestCancel(TENANT, lease.id, inAnHour()), {
        outcome: 'gone',
      });
      assert.equal(await store.delete(TENANT, lease.id), 'gone');
    });

    it('turns expired operations into tombstones, then purges them after tombstoneMs', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const expiresAt = inAnHour();
      await store.finish(lease, succeeded({ expiresAt }));
      const kept = await createOperation(store, { kind: 'never.runs' });

      assert.deepEqual(await store.expire(expiresAt - 1, 60_000), { expired: 0, purged: 0 });
      await found(store, lease.id);
      assert.deepEqual(await store.expire(expiresAt + 1, 60_000), { expired: 1, purged: 0 });
      assert.deepEqual(await store.get(TENANT, lease.id), { outcome: 'gone' });
      assert.deepEqual(await store.get(OTHER_TENANT, lease.id), { outcome: 'missing' });
      const listed = await store.list({ tenant: TENANT, limit: 10 });
      assert.deepEqual(
        listed.map((operation) => operation.id),
        [kept.id],
      );
      assert.deepEqual(await store.expire(expiresAt + 59_000, 60_000), { expired: 0, purged: 0 });
      assert.deepEqual(await store.get(TENANT, lease.id), { outcome: 'gone' });
      assert.deepEqual(await store.expire(expiresAt + 60_002, 60_000), { expired: 0, purged: 1 });
      assert.deepEqual(await store.get(TENANT, lease.id), { outcome: 'missing' });
      assert.equal((await found(store, kept.id)).status, 'NotStarted', 'unfinished never expire');
    });
  });
}
