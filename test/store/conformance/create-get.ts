import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdempotencyClaim, StepRecord } from '../../../src/store/store.js';
import {
  type CurrentStore,
  claimOne,
  clockPast,
  createOperation,
  found,
  newOperation,
  OTHER_TENANT,
  succeeded,
  TENANT,
} from './harness.js';

export function describeCreateAndGet(current: CurrentStore): void {
  describe('create and get', () => {
    it('creates a NotStarted operation that only its tenant can read', async () => {
      const store = current();
      const before = Date.now();
      const created = await createOperation(store);
      assert.equal(created.status, 'NotStarted');
      assert.equal(created.tenant, TENANT);
      assert.ok(created.createdAt >= before && created.createdAt <= Date.now());
      assert.deepEqual(await found(store, created.id), created);
      assert.deepEqual(await store.get(OTHER_TENANT, created.id), { outcome: 'missing' });
      assert.deepEqual(await store.get(TENANT, `${created.id.slice(0, -4)}AAAA`), {
        outcome: 'missing',
      });
    });

    it('answers cached(), where a store offers it, with the latest state or not at all', async () => {
      const store = current();
      const cached = store.cached?.bind(store);
      if (store.capabilities.sharedAcrossProcesses) {
        // Other processes may change any operation: a memory of this one's could be stale.
        assert.equal(cached, undefined, 'a store shared across processes offers no cached()');
        return;
      }
      if (!cached) return;
      // Undefined only sends the caller to get(); anything else must be the operation as it is now.
      const expect = (status: string, revision: number) => {
        const now = cached(TENANT, created.id);
        if (now === undefined) return;
        assert.equal(now.status, status);
        assert.equal(now.revision, revision);
      };
      const created = await createOperation(store);
      expect('NotStarted', created.revision);
      assert.equal(cached(OTHER_TENANT, created.id), undefined, "another tenant's id");
      const { lease, operation: running } = await claimOne(store);
      expect('Running', running.revision);
      const expiresAt = Date.now() + 40;
      await store.finish(lease, succeeded({ expiresAt }));
      expect('Succeeded', (await found(store, created.id)).revision);
      await clockPast(expiresAt);
      assert.equal(cached(TENANT, created.id), undefined, 'past its retention: gone, from get()');
    });

    it('gives every operation its own id', async () => {
      const store = current();
      const ids = await Promise.all(
        Array.from({ length: 20 }, async () => (await createOperation(store)).id),
      );
      assert.equal(new Set(ids).size, 20);
    });

    it('round-trips input, planned steps, title, method and maxAttempts', async () => {
      const store = current();
      const input = {
        name: 'Ünïcødé ✓ "quoted" \n newline',
        nested: { list: [1, 2.5, -3, null, true, false, 'x'], empty: {}, none: [] },
        big: 2 ** 52,
      };
      const steps: StepRecord[] = [
        { id: 'fetch', title: 'Fetch', status: 'NotStarted', weight: 2 },
        {
          id: 'build',
          title: 'Build',
          status: 'NotStarted',
          steps: [
            { id: 'build.a', title: 'Part A', status: 'NotStarted' },
            { id: 'build.b', title: 'Part B', status: 'NotStarted', weight: 0.5 },
          ],
        },
      ];
      const created = await createOperation(store, {
        kind: 'thing.replace',
        title: 'Replace thing 7',
        method: 'PUT',
        input,
        steps,
        maxAttempts: 5,
      });
      for (const operation of [created, await found(store, created.id)]) {
        assert.equal(operation.kind, 'thing.replace');
        assert.equal(operation.title, 'Replace thing 7');
        assert.equal(operation.method, 'PUT');
        assert.deepEqual(operation.input, input);
        assert.deepEqual(operation.steps, steps);
        assert.equal(operation.maxAttempts, 5);
        assert.equal(operation.attempts, 0);
        assert.equal(operation.revision, 1);
        assert.equal(operation.cancelRequested, false);
        for (const field of [
          'message',
          'percentComplete',
          'progress',
          'result',
          'resourceLocation',
          'error',
          'resultHttpStatus',
          'startedAt',
          'endedAt',
          'expiresAt',
        ] as const) {
          assert.equal(operation[field], undefined, `${field} should be unset on a new operation`);
        }
      }
    });

    it('keeps an absent title absent', async () => {
      const store = current();
      const created = await createOperation(store, { title: undefined, method: 'DELETE' });
      const read = await found(store, created.id);
      assert.equal(read.title, undefined);
      assert.equal(read.method, 'DELETE');
    });

    it('starts at revision 1 and adds one per write; renewing a lease is not a write', async () => {
      const store = current();
      const created = await createOperation(store);
      assert.equal(created.revision, 1);
      const { lease, operation: claimed } = await claimOne(store);
      assert.equal(claimed.revision, 2);
      assert.equal((await found(store, created.id)).revision, 2);
      assert.ok(await store.update(lease, { message: 'one' }));
      assert.equal((await found(store, created.id)).revision, 3);
      await store.renew([lease], 30_000);
      assert.equal((await found(store, created.id)).revision, 3);
      assert.ok(await store.update(lease, { percentComplete: 50 }));
      assert.equal((await found(store, created.id)).revision, 4);
      assert.ok(await store.finish(lease, succeeded()));
      const finished = await found(store, created.id);
      assert.equal(finished.revision, 5);
      assert.ok(finished.updatedAt >= created.updatedAt);
    });
  });

  describe('idempotency', () => {
    const claim = (overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
      scope: 'POST /reports',
      key: 'key-1',
      fingerprint: 'sha256:aaa',
      expiresAt: Date.now() + 86_400_000,
      ...overrides,
    });

    it('replays the same operation, as it is now, for the same key and request', async () => {
      const store = current();
      const first = await createOperation(store, { idempotency: claim() });
      await claimOne(store);
      const again = await store.create(newOperation({ idempotency: claim() }));
      assert.equal(again.outcome, 'replayed');
      assert.equal(again.operation.id, first.id);
      assert.equal(again.operation.status, 'Running', 'a replay shows the current state');
      assert.equal((await store.list({ tenant: TENANT, limit: 10 })).length, 1);
    });

    it('refuses the same key with another request and stores nothing', async () => {
      const store = current();
      const first = await createOperation(store, { idempotency: claim() });
      const other = await store.create(
        newOperation({
          input: { quarter: 'Q4' },
          idempotency: claim({ fingerprint: 'sha256:bbb' }),
        }),
      );
      assert.deepEqual(other, { outcome: 'key-reused' });
      const listed = await store.list({ tenant: TENANT, limit: 10 });
      assert.deepEqual(
        listed.map((operation) => operation.id),
        [first.id],
      );
      // The original key still replays.
      const replay = await store.create(newOperation({ idempotency: claim() }));
      assert.equal(replay.outcome, 'replayed');
    });

    it('scopes keys by tenant and by route', async () => {
      const store = current();
      const first = await createOperation(store, { idempotency: claim() });
      const otherTenant = await createOperation(store, {
        tenant: OTHER_TENANT,
        idempotency: claim(),
      });
      const otherRoute = await createOperation(store, {
        idempotency: claim({ scope: 'PUT /things/7' }),
      });
      assert.equal(new Set([first.id, otherTenant.id, otherRoute.id]).size, 3);
      assert.equal(otherTenant.tenant, OTHER_TENANT);
    });

    it('gives exactly one operation to two racing creates with the same key', async () => {
      const store = current();
      const results = await Promise.all([
        store.create(newOperation({ idempotency: claim() })),
        store.create(newOperation({ idempotency: claim() })),
      ]);
      const outcomes = results.map((result) => result.outcome).sort();
      assert.deepEqual(outcomes, ['created', 'replayed']);
      const ids = results.map((result) =>
        result.outcome === 'key-reused' ? '' : result.operation.id,
      );
      assert.equal(ids[0], ids[1]);
      assert.equal((await store.list({ tenant: TENANT, limit: 10 })).length, 1);
    });

    it('ignores an expired key', async () => {
      const store = current();
      const expiresAt = Date.now() + 30;
      const first = await createOperation(store, { idempotency: claim({ expiresAt }) });
      await clockPast(expiresAt);
      const fresh = claim({ fingerprint: 'sha256:ccc' });
      const second = await createOperation(store, { idempotency: fresh });
      assert.notEqual(second.id, first.id);
      // The new claim on the key now holds.
      const replay = await store.create(newOperation({ idempotency: fresh }));
      assert.equal(replay.outcome, 'replayed');
      assert.equal(replay.operation.id, second.id);
    });
  });
}
