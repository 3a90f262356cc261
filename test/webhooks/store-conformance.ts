import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store, WebhookEventType } from '../../src/store/store.js';
import {
  type CurrentStore,
  createAndClaim,
  createOperation,
  inAnHour,
  OTHER_TENANT,
  succeeded,
  TENANT,
} from '../store/conformance/harness.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ROOT = 'https://api.example.com/v1';

const subscribe = (
  store: Store,
  tenant = TENANT,
  types: readonly WebhookEventType[] = ['operation.succeeded'],
) =>
  store.webhooks.addSubscription({
    tenant,
    url: 'https://hooks.example.com/x',
    types,
    secret: SECRET,
    root: ROOT,
  });

/** The webhook outbox (migration 0004), held to the same behaviour in every store. */
export function describeWebhookStore(current: CurrentStore): void {
  describe('webhooks', () => {
    it('writes the outbox with the terminal change: callbacks and matching subscriptions', async () => {
      const store = current();
      const subscription = await subscribe(store);
      await subscribe(store, TENANT, ['operation.failed']);
      await subscribe(store, OTHER_TENANT);
      const { lease, operation } = await createAndClaim(store);
      await store.webhooks.addCallback({
        operationId: operation.id,
        tenant: TENANT,
        url: 'https://cb.example.com/done',
        method: 'POST',
        secret: SECRET,
        root: ROOT,
      });
      assert.deepEqual(await store.webhooks.claimDue(Date.now(), 10, 1000), []);
      assert.ok(await store.finish(lease, succeeded()));
      const due = await store.webhooks.claimDue(Date.now() + 1, 10, 60_000);
      assert.equal(due.length, 2);
      for (const delivery of due) {
        assert.match(delivery.id, /^msg_[0-9a-f]{32}$/);
        assert.equal(delivery.type, 'operation.succeeded');
        assert.equal(delivery.operationId, operation.id);
        assert.equal(delivery.status, 'Succeeded');
        assert.equal(delivery.root, ROOT);
        assert.equal(delivery.attempts, 0);
      }
      assert.deepEqual(
        due.map((d) => d.subscriptionId ?? null).sort(),
        [null, subscription.id].sort(),
      );
      assert.deepEqual(await store.webhooks.claimDue(Date.now() + 1, 10, 60_000), [], 'held');
      assert.equal((await store.webhooks.listDeliveries(OTHER_TENANT, { limit: 10 })).length, 0);
    });

    it('retries under the same id, and a 410 disables the subscription', async () => {
      const store = current();
      const subscription = await subscribe(store);
      const first = await createAndClaim(store);
      assert.ok(await store.finish(first.lease, succeeded()));
      const [delivery] = await store.webhooks.claimDue(Date.now() + 1, 10, 60_000);
      const at = Date.now();
      await store.webhooks.recordAttempt({
        id: delivery!.id,
        at,
        state: 'pending',
        nextAttemptAt: at,
        httpStatus: 500,
        error: 'boom',
      });
      const [again] = await store.webhooks.claimDue(at + 1, 10, 60_000);
      assert.equal(again?.id, delivery!.id);
      assert.equal(again?.attempts, 1);
      assert.equal(again?.lastHttpStatus, 500);
      const gone = { id: delivery!.id, at, state: 'gone', nextAttemptAt: at } as const;
      await store.webhooks.recordAttempt({ ...gone, httpStatus: 410, error: undefined });
      const [shown] = await store.webhooks.listSubscriptions(TENANT);
      assert.equal(shown?.id, subscription.id);
      assert.ok(shown?.disabledAt !== undefined);
      const second = await createAndClaim(store);
      assert.ok(await store.finish(second.lease, succeeded()));
      assert.deepEqual(await store.webhooks.claimDue(Date.now() + 1, 10, 60_000), []);
    });

    it('queues a callback registered after the end once, and scopes subscriptions by tenant', async () => {
      const store = current();
      const operation = await createOperation(store);
      await store.requestCancel(TENANT, operation.id, inAnHour());
      const callback = {
        operationId: operation.id,
        tenant: TENANT,
        url: 'https://cb.example.com/odata',
        method: 'GET',
        secret: SECRET,
        root: ROOT,
      } as const;
      await store.webhooks.addCallback(callback);
      await store.webhooks.addCallback(callback);
      const log = await store.webhooks.listDeliveries(TENANT, {
        operationId: operation.id,
        limit: 10,
      });
      assert.equal(log.length, 1);
      assert.equal(log[0]?.type, 'operation.canceled');
      assert.equal(log[0]?.method, 'GET');
      const subscription = await subscribe(store);
      assert.equal(await store.webhooks.deleteSubscription(OTHER_TENANT, subscription.id), false);
      assert.equal(await store.webhooks.deleteSubscription(TENANT, subscription.id), true);
      assert.deepEqual(await store.webhooks.listSubscriptions(TENANT), []);
    });
  });
}
