import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationRecord, Store } from '../../../src/store/store.js';
import {
  type CurrentStore,
  claimOne,
  clockPast,
  createOperation,
  KIND,
  OTHER_TENANT,
  succeeded,
  TENANT,
} from './harness.js';

const idsOf = (operations: readonly OperationRecord[]) =>
  operations.map((operation) => operation.id);

/** Creates one operation per kind, in order, each in a later millisecond than the one before. */
async function createInOrder(store: Store, kinds: readonly string[]) {
  const created: OperationRecord[] = [];
  for (const kind of kinds) {
    const previous = created.at(-1);
    if (previous) await clockPast(previous.createdAt);
    created.push(await createOperation(store, { kind }));
  }
  return created;
}

export function describeList(current: CurrentStore): void {
  describe('list', () => {
    it('lists newest first', async () => {
      const store = current();
      const [a, b, c] = await createInOrder(store, [KIND, KIND, KIND]);
      const listed = await store.list({ tenant: TENANT, limit: 10 });
      assert.deepEqual(idsOf(listed), [c!.id, b!.id, a!.id]);
    });

    it('pages with beforeId without gaps or repeats', async () => {
      const store = current();
      const created: OperationRecord[] = [];
      for (let index = 0; index < 25; index++) created.push(await createOperation(store));
      const pages: OperationRecord[][] = [];
      let beforeId: string | undefined;
      for (;;) {
        const page = await store.list({
          tenant: TENANT,
          limit: 10,
          ...(beforeId === undefined ? {} : { beforeId }),
        });
        if (page.length === 0) break;
        pages.push(page);
        beforeId = page.at(-1)!.id;
        assert.ok(pages.length <= 3, 'the pages should end after 25 operations');
      }
      assert.deepEqual(
        pages.map((page) => page.length),
        [10, 10, 5],
      );
      const all = pages.flat();
      assert.equal(new Set(idsOf(all)).size, 25, 'no operation is listed twice');
      assert.deepEqual(new Set(idsOf(all)), new Set(idsOf(created)), 'every operation is listed');
      for (let index = 1; index < all.length; index++) {
        assert.ok(all[index - 1]!.createdAt >= all[index]!.createdAt, 'newest first across pages');
      }
    });

    it('filters by statuses and by kinds', async () => {
      const store = current();
      const [reportA, reportB, exportA] = await createInOrder(store, [
        'report.build',
        'report.build',
        'export.csv',
      ]);
      const running = await claimOne(store, { kind: 'report.build' });
      assert.equal(running.operation.id, reportA!.id);
      const done = await claimOne(store, { kind: 'export.csv' });
      await store.finish(done.lease, succeeded());

      const list = (filters: { statuses?: OperationRecord['status'][]; kinds?: string[] }) =>
        store.list({ tenant: TENANT, limit: 10, ...filters }).then(idsOf);
      assert.deepEqual(await list({ statuses: ['Running'] }), [reportA!.id]);
      assert.deepEqual(await list({ statuses: ['NotStarted'] }), [reportB!.id]);
      assert.deepEqual(await list({ statuses: ['Succeeded', 'NotStarted'] }), [
        exportA!.id,
        reportB!.id,
      ]);
      assert.deepEqual(await list({ kinds: ['export.csv'] }), [exportA!.id]);
      assert.deepEqual(await list({ kinds: ['report.build'] }), [reportB!.id, reportA!.id]);
      assert.deepEqual(await list({ kinds: ['report.build'], statuses: ['Running'] }), [
        reportA!.id,
      ]);
      assert.deepEqual(await list({ kinds: ['nothing.here'] }), []);
      assert.deepEqual(await list({ statuses: ['Failed'] }), []);
      assert.equal(
        (await list({ statuses: [], kinds: [] })).length,
        3,
        'empty filters filter nothing',
      );
    });

    it('lists only the tenant’s own operations', async () => {
      const store = current();
      const mine = await createOperation(store);
      const theirs = await createOperation(store, { tenant: OTHER_TENANT });
      assert.deepEqual(idsOf(await store.list({ tenant: TENANT, limit: 10 })), [mine.id]);
      assert.deepEqual(idsOf(await store.list({ tenant: OTHER_TENANT, limit: 10 })), [theirs.id]);
      assert.deepEqual(await store.list({ tenant: 'tenant-nobody', limit: 10 }), []);
    });

    it('honours the limit', async () => {
      const store = current();
      await createInOrder(store, [KIND, KIND, KIND]);
      assert.equal((await store.list({ tenant: TENANT, limit: 2 })).length, 2);
      assert.equal((await store.list({ tenant: TENANT, limit: 1 })).length, 1);
    });
  });
}
