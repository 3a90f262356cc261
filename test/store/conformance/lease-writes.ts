import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepRecord } from '../../../src/store/store.js';
import {
  type CurrentStore,
  claimOne,
  createAndClaim,
  found,
  inAnHour,
  OTHER_TENANT,
  succeeded,
  TENANT,
  waitFor,
} from './harness.js';

const doneSteps: StepRecord[] = [
  { id: 'collect', title: 'Collect', status: 'Succeeded', startTime: 1, endTime: 2 },
];

export function describeLeaseWrites(current: CurrentStore): void {
  describe('update under a lease', () => {
    it('records progress; absent fields keep their value', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const steps: StepRecord[] = [
        { id: 'collect', title: 'Collect', status: 'Running', startTime: 5, percentComplete: 40 },
      ];
      const progress = { completed: 2, total: 5, unit: 'files' };
      assert.equal(
        await store.update(lease, { message: 'Collecting', percentComplete: 40, progress, steps }),
        true,
      );
      assert.ok(await store.update(lease, { message: 'Still collecting' }));
      const read = await found(store, lease.id);
      assert.equal(read.message, 'Still collecting');
      assert.equal(read.percentComplete, 40);
      assert.deepEqual(read.progress, progress);
      assert.deepEqual(read.steps, steps);
    });

    it('is fenced: a wrong token changes nothing', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const before = await found(store, lease.id);
      const forged = { ...lease, token: `${lease.token}-forged` };
      assert.equal(await store.update(forged, { message: 'hijacked', percentComplete: 99 }), false);
      assert.equal(
        await store.update({ ...lease, tenant: OTHER_TENANT, token: 'guess' }, { message: 'x' }),
        false,
      );
      assert.deepEqual(await found(store, lease.id), before);
    });

    it('never lowers percentComplete', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await store.update(lease, { percentComplete: 60 });
      await store.update(lease, { percentComplete: 40, message: 'lower' });
      let read = await found(store, lease.id);
      assert.equal(read.percentComplete, 60);
      assert.equal(read.message, 'lower', 'the rest of the update still applies');
      await store.update(lease, { percentComplete: 80 });
      assert.equal((await found(store, lease.id)).percentComplete, 80);
      const error = { code: 'Internal', message: 'Disk full.' };
      await store.finish(lease, {
        status: 'Failed',
        error,
        percentComplete: 70,
        expiresAt: inAnHour(),
      });
      read = await found(store, lease.id);
      assert.equal(read.percentComplete, 80, 'not lowered by the finish either');
    });
  });

  describe('finish', () => {
    it('records success with its result, resource location and HTTP status', async () => {
      const store = current();
      const { lease } = await createAndClaim(store, { method: 'PUT' });
      const expiresAt = inAnHour();
      const before = Date.now();
      const finished = await store.finish(lease, {
        status: 'Succeeded',
        result: { id: 'thing-7', tags: ['a', 'b'] },
        resourceLocation: '/things/7',
        resultHttpStatus: 201,
        percentComplete: 100,
        steps: doneSteps,
        expiresAt,
      });
      assert.equal(finished, true);
      const read = await found(store, lease.id);
      assert.equal(read.status, 'Succeeded');
      assert.deepEqual(read.result, { id: 'thing-7', tags: ['a', 'b'] });
      assert.equal(read.resourceLocation, '/things/7');
      assert.equal(read.resultHttpStatus, 201);
      assert.equal(read.percentComplete, 100);
      assert.deepEqual(read.steps, doneSteps);
      assert.equal(read.error, undefined);
      assert.equal(read.expiresAt, expiresAt);
      assert.ok(read.endedAt !== undefined && read.endedAt >= before);
      assert.equal((await store.findByResourceLocation(TENANT, '/things/7'))?.id, lease.id);
      assert.equal(await store.findByResourceLocation(OTHER_TENANT, '/things/7'), undefined);
      assert.equal(await store.findByResourceLocation(TENANT, '/things/8'), undefined);
    });

    it('records failure with its error', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const error = { code: 'ValidationFailed', message: 'Row 3 has no date.', target: 'rows' };
      assert.ok(
        await store.finish(lease, {
          status: 'Failed',
          error,
          resultHttpStatus: 422,
          expiresAt: inAnHour(),
        }),
      );
      const read = await found(store, lease.id);
      assert.equal(read.status, 'Failed');
      assert.deepEqual(read.error, error);
      assert.equal(read.resultHttpStatus, 422);
      assert.equal(read.result, undefined);
      assert.equal(read.resourceLocation, undefined);
    });

    it('records a success that lost to a cancel request as Canceled', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await store.requestCancel(TENANT, lease.id, inAnHour());
      assert.ok(await store.finish(lease, succeeded({ resourceLocation: '/things/9' })));
      const read = await found(store, lease.id);
      assert.equal(read.status, 'Canceled');
      assert.equal(read.error?.code, 'Canceled');
      assert.equal(read.result, undefined);
      assert.equal(read.resourceLocation, undefined);
      assert.equal(read.resultHttpStatus, 409);
      assert.equal(await store.findByResourceLocation(TENANT, '/things/9'), undefined);
    });

    it('finishes once: a second finish or a forged one changes nothing', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      assert.equal(await store.finish({ ...lease, token: 'forged' }, succeeded()), false);
      assert.equal((await found(store, lease.id)).status, 'Running');
      assert.equal(await store.finish(lease, succeeded({ result: 'first' })), true);
      const first = await found(store, lease.id);
      const error = { code: 'Internal', message: 'late' };
      assert.equal(await store.finish(lease, { status: 'Failed', error, expiresAt: 1 }), false);
      assert.equal(await store.update(lease, { message: 'late news' }), false);
      assert.deepEqual(await found(store, lease.id), first);
    });
  });

  describe('release', () => {
    it('puts the operation back in the queue, keeping the attempt it used', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const released = await store.release(lease, {
        runAfter: Date.now(),
        refundAttempt: false,
        message: 'Attempt 1 failed; retrying.',
        percentComplete: 30,
        progress: { completed: 3, total: 10 },
        steps: doneSteps,
      });
      assert.equal(released, true);
      const read = await found(store, lease.id);
      assert.equal(read.message, 'Attempt 1 failed; retrying.');
      assert.equal(read.percentComplete, 30);
      assert.deepEqual(read.progress, { completed: 3, total: 10 });
      assert.deepEqual(read.steps, doneSteps);
      assert.equal(await store.update(lease, { message: 'gone' }), false, 'the old lease is over');
      const again = await claimOne(store, { workerId: 'worker-2' });
      assert.equal(again.operation.id, lease.id);
      assert.equal(again.operation.attempts, 2);
    });

    it('gives the attempt back when asked', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      assert.ok(await store.release(lease, { runAfter: Date.now(), refundAttempt: true }));
      const again = await claimOne(store);
      assert.equal(again.operation.attempts, 1);
    });

    it('keeps it unclaimable until runAfter', async () => {
      const store = current();
      const later = await createAndClaim(store);
      const soon = await createAndClaim(store);
      assert.ok(await store.release(later.lease, { runAfter: inAnHour(), refundAttempt: false }));
      const runAfter = Date.now() + 50;
      assert.ok(await store.release(soon.lease, { runAfter, refundAttempt: false }));
      const request = { workerId: 'worker-2', kinds: ['report.build'], limit: 5, leaseMs: 30_000 };
      // Polled from the start: a claim before runAfter would fail the clock check below.
      const claimed = await waitFor('the released operation to be claimable', async () => {
        const got = await store.claim(request);
        return got.length > 0 && got;
      });
      assert.ok(Date.now() >= runAfter, 'claimed only once runAfter had come');
      assert.deepEqual(
        claimed.map((one) => one.operation.id),
        [soon.lease.id],
      );
      assert.deepEqual(await store.claim(request), []);
    });

    it('is fenced: a wrong token or a finished operation is not released', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      assert.equal(
        await store.release({ ...lease, token: 'forged' }, { runAfter: 0, refundAttempt: true }),
        false,
      );
      assert.ok(await store.finish(lease, succeeded()));
      assert.equal(await store.release(lease, { runAfter: 0, refundAttempt: true }), false);
      assert.equal((await found(store, lease.id)).status, 'Succeeded');
      assert.deepEqual(
        await store.claim({ workerId: 'w', kinds: ['report.build'], limit: 1, leaseMs: 1000 }),
        [],
      );
    });
  });
}
