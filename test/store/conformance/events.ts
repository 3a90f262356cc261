import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationEvent, StepRecord, Store } from '../../../src/store/store.js';
import {
  type CurrentStore,
  claimOne,
  clockPast,
  createAndClaim,
  createOperation,
  found,
  inAnHour,
  OTHER_TENANT,
  succeeded,
  TENANT,
  waitFor,
} from './harness.js';

/** The operation's events after `after`, insisting the log still holds them all. */
async function history(store: Store, id: string, after = 0): Promise<OperationEvent[]> {
  const read = await store.readEvents(TENANT, id, after, 1000);
  assert.equal(read.outcome, 'events', `the log of ${id} after ${after} should be whole`);
  return read.outcome === 'events' ? read.events : [];
}

/** `revision type` per event: the shape of a log at a glance. */
const shape = (events: readonly OperationEvent[]) =>
  events.map((event) => `${event.revision} ${event.type}`);

const running: StepRecord[] = [
  {
    id: '1',
    title: 'Collect',
    status: 'Running',
    startTime: 5,
    steps: [{ id: '1.1', title: 'Files', status: 'Running', progress: { completed: 1, total: 4 } }],
  },
  { id: '2', title: 'Publish', status: 'NotStarted' },
];

export function describeEvents(current: CurrentStore): void {
  describe('event log', () => {
    it('starts with a status event at revision 1, and records the claim', async () => {
      const store = current();
      const created = await createOperation(store);
      const [first] = await history(store, created.id);
      assert.equal(first?.operationId, created.id);
      assert.equal(first?.revision, 1);
      assert.deepEqual(
        [first?.type, first?.data],
        ['status', { status: 'NotStarted', done: false }],
      );
      assert.ok(typeof first?.cursor === 'string' && first.cursor !== '');
      const claimed = await claimOne(store);
      const events = await history(store, created.id, 1);
      assert.deepEqual(shape(events), ['2 status']);
      assert.deepEqual(events[0]?.data, { status: 'Running', done: false });
      assert.equal(claimed.operation.revision, 2);
    });

    it('records what each write changed, typed, in one order, with small data', async () => {
      const store = current();
      const { lease } = await createAndClaim(store, {
        steps: [
          { id: '1', title: 'Collect', status: 'NotStarted', steps: [] },
          { id: '2', title: 'Publish', status: 'NotStarted' },
        ],
      });
      const progress = { completed: 1, total: 4, unit: 'files' };
      await store.update(lease, {
        message: 'Collecting',
        percentComplete: 12.5,
        progress,
        steps: running,
      });
      let events = await history(store, lease.id, 2);
      assert.deepEqual(shape(events), ['3 step', '3 progress', '3 message']);
      assert.deepEqual(events[0]?.data, {
        steps: [
          { id: '1', title: 'Collect', status: 'Running' },
          { id: '1.1', title: 'Files', status: 'Running', progress: { completed: 1, total: 4 } },
        ],
      });
      assert.deepEqual(events[1]?.data, { percentComplete: 12.5, progress });
      assert.deepEqual(events[2]?.data, { message: 'Collecting' });

      const restamped = running.map((step) => (step.id === '1' ? { ...step, startTime: 6 } : step));
      await store.update(lease, { message: 'Still collecting', steps: restamped });
      events = await history(store, lease.id, 3);
      assert.deepEqual(
        shape(events),
        ['4 message'],
        'a change a step event does not show makes none',
      );

      const done: StepRecord[] = running.map((step) => ({ ...step, status: 'Succeeded' }));
      await store.finish(lease, succeeded({ steps: done, percentComplete: 100 }));
      events = await history(store, lease.id, 4);
      assert.deepEqual(shape(events), ['5 step', '5 progress', '5 status']);
      assert.deepEqual(events[0]?.data, {
        steps: [
          { id: '1', title: 'Collect', status: 'Succeeded' },
          { id: '2', title: 'Publish', status: 'Succeeded' },
        ],
      });
      assert.deepEqual(events[2]?.data, { status: 'Succeeded', done: true });
      assert.equal((await found(store, lease.id)).revision, 5);
    });

    it('records cancels, releases and recovery; a revision that shows nothing new gets a status', async () => {
      const store = current();
      const queued = await createOperation(store);
      await store.requestCancel(TENANT, queued.id, inAnHour());
      assert.deepEqual(
        (await history(store, queued.id, 1)).map((event) => event.data),
        [{ status: 'Canceled', done: true }],
      );
      const { lease } = await createAndClaim(store, { maxAttempts: 3 }, 20);
      await waitFor('the lease to be recovered', async () => {
        const result = await store.recoverExpiredLeases(Date.now(), inAnHour());
        return result.requeued.includes(lease.id);
      });
      const again = await claimOne(store, { workerId: 'worker-2' });
      await store.release(again.lease, { runAfter: Date.now(), refundAttempt: true });
      const third = await claimOne(store, { workerId: 'worker-3' });
      await store.requestCancel(TENANT, lease.id, inAnHour());
      await store.finish(third.lease, { status: 'Canceled', expiresAt: inAnHour() });
      const events = await history(store, lease.id, 2);
      assert.deepEqual(shape(events), [
        '3 message',
        '4 status',
        '5 status',
        '6 status',
        '7 status',
        '8 status',
      ]);
      assert.match(String(events[0]?.data.message), /attempt 2 of 3/);
      assert.deepEqual(
        events.slice(1).map((event) => event.data.status),
        ['Running', 'Running', 'Running', 'Canceling', 'Canceled'],
      );
    });

    it('reads after a revision, up to a limit; a lost lease appends nothing', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      for (const message of ['a', 'b', 'c']) await store.update(lease, { message });
      assert.equal(await store.update({ ...lease, token: 'lost' }, { message: 'x' }), false);
      assert.deepEqual(shape(await history(store, lease.id)), [
        '1 status',
        '2 status',
        '3 message',
        '4 message',
        '5 message',
      ]);
      const page = await store.readEvents(TENANT, lease.id, 2, 2);
      assert.deepEqual(page.outcome === 'events' && shape(page.events), ['3 message', '4 message']);
      assert.deepEqual(await history(store, lease.id, 5), [], 'nothing after the latest');
    });

    it('is scoped to the tenant', async () => {
      const store = current();
      const created = await createOperation(store);
      assert.deepEqual(await store.readEvents(OTHER_TENANT, created.id, 0, 10), {
        outcome: 'missing',
      });
      assert.deepEqual(await store.readEvents(TENANT, `${created.id}x`, 0, 10), {
        outcome: 'missing',
      });
    });

    it('keeps a bounded window: the last 256 revisions running, the last 64 once ended', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await Promise.all(
        Array.from({ length: 260 }, (_, index) => store.update(lease, { message: `m${index}` })),
      );
      assert.equal((await found(store, lease.id)).revision, 262);
      assert.deepEqual(await store.readEvents(TENANT, lease.id, 0, 10), { outcome: 'trimmed' });
      assert.deepEqual(shape(await history(store, lease.id, 262 - 256)).slice(0, 1), ['7 message']);
      await store.finish(lease, succeeded());
      assert.deepEqual(await store.readEvents(TENANT, lease.id, 262 - 64, 10), {
        outcome: 'trimmed',
      });
      assert.deepEqual(shape(await history(store, lease.id, 263 - 64)).slice(0, 1), [
        '200 message',
      ]);
    });

    it('trims on a claim as on any write: a requeued operation claimed again past 256 revisions', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      await Promise.all(
        Array.from({ length: 260 }, (_, index) => store.update(lease, { message: `m${index}` })),
      );
      assert.ok(await store.release(lease, { runAfter: Date.now(), refundAttempt: true }));
      const again = await claimOne(store, { workerId: 'worker-2' });
      assert.equal(again.operation.revision, 264);
      assert.deepEqual(await store.readEvents(TENANT, lease.id, 7, 10), { outcome: 'trimmed' });
      assert.deepEqual(shape(await history(store, lease.id, 8)).slice(-2), [
        '263 status',
        '264 status',
      ]);
    });

    it('drops the log once the operation is entombed or deleted', async () => {
      const store = current();
      const { lease } = await createAndClaim(store);
      const expiresAt = Date.now() + 50;
      await store.finish(lease, succeeded({ expiresAt }));
      const other = await createAndClaim(store);
      await store.finish(other.lease, succeeded());
      await store.delete(TENANT, other.lease.id);
      assert.deepEqual(await store.readEvents(TENANT, other.lease.id, 0, 10), {
        outcome: 'missing',
      });
      await clockPast(expiresAt);
      await store.expire(Date.now(), 3_600_000);
      assert.deepEqual(await store.readEvents(TENANT, lease.id, 0, 10), { outcome: 'trimmed' });
    });
  });

  describe('tenant feed', () => {
    it('streams every operation of the tenant in commit order, resumable by cursor', async () => {
      const store = current();
      const start = await store.readTenantEvents(TENANT, undefined, 100);
      assert.deepEqual([start.events, start.restarted], [[], true]);
      const a = await createAndClaim(store);
      await createOperation(store, { tenant: OTHER_TENANT });
      const b = await createOperation(store);
      await store.update(a.lease, { message: 'a1' });
      await store.finish(a.lease, succeeded());
      const seen: string[] = [];
      let cursor = start.cursor;
      const label = (event: OperationEvent) =>
        `${event.operationId === b.id ? 'b' : 'a'}${event.revision} ${event.type}`;
      // Pages of 2; a page may come back empty and unsettled while older transactions finish.
      await waitFor('the tenant feed to show five events', async () => {
        const page = await store.readTenantEvents(TENANT, cursor, 2);
        assert.equal(page.restarted, false);
        seen.push(...page.events.map(label));
        if (page.events.length > 0) assert.equal(page.cursor, page.events.at(-1)?.cursor);
        cursor = page.cursor;
        return seen.length >= 5 && page.settled;
      });
      assert.deepEqual(seen, ['a1 status', 'a2 status', 'b1 status', 'a3 message', 'a4 status']);
      const after = await store.readTenantEvents(TENANT, cursor, 100);
      assert.deepEqual([after.events, after.cursor, after.restarted], [[], cursor, false]);
    });

    it('restarts from now on a cursor it never gave', async () => {
      const store = current();
      await createOperation(store);
      for (const bogus of ['x', '', '99999999999999', '99999999999999-9', '-1']) {
        const page = await store.readTenantEvents(TENANT, bogus, 10);
        assert.deepEqual(
          [page.events, page.restarted],
          [[], true],
          `cursor ${JSON.stringify(bogus)}`,
        );
      }
    });
  });
}
