import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebhookDelivery } from '../../src/store/store.js';
import { nextAttempt } from '../../src/webhooks/dispatcher.js';
import { retryAfterMs, sendWebhook } from '../../src/webhooks/send-webhook.js';
import { DEFAULT_RETRY_SCHEDULE_MS, webhookSettings } from '../../src/webhooks/webhook-settings.js';
import { listenOnLoopback } from '../helpers/servers.js';
import { CALLBACK_SECRET } from './harness.js';

const delivery = (overrides: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: 'msg_1',
  tenant: 't',
  operationId: 'op',
  subscriptionId: undefined,
  url: 'http://127.0.0.1:9/',
  method: 'POST',
  secret: CALLBACK_SECRET,
  root: 'http://api',
  type: 'operation.succeeded',
  kind: 'k',
  status: 'Succeeded',
  percentComplete: undefined,
  occurredAt: 0,
  state: 'pending',
  attempts: 0,
  nextAttemptAt: 0,
  lastAttemptAt: undefined,
  lastHttpStatus: undefined,
  lastError: undefined,
  ...overrides,
});

describe('webhooks: attempts', () => {
  const settings = webhookSettings();

  it('backs off over about a day with jitter, then gives up', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0);
    assert.ok(total > 18 * 3600_000 && total < 30 * 3600_000, `${total} ms`);
    for (const [index, base] of DEFAULT_RETRY_SCHEDULE_MS.entries()) {
      for (const random of [0, 0.5, 0.999]) {
        const next = nextAttempt(
          delivery({ attempts: index }),
          { httpStatus: 500 },
          settings,
          0,
          () => random,
        );
        assert.equal(next.state, 'pending');
        assert.ok(next.nextAttemptAt >= base * 0.8 - 1 && next.nextAttemptAt <= base * 1.2 + 1);
      }
    }
    const last = delivery({ attempts: DEFAULT_RETRY_SCHEDULE_MS.length });
    assert.equal(nextAttempt(last, { error: 'refused' }, settings, 0).state, 'failed');
  });

  it('honours Retry-After on 429 and 503 (capped), not on other codes', () => {
    const wait = (httpStatus: number, ms: number) =>
      nextAttempt(delivery(), { httpStatus, retryAfterMs: ms }, settings, 0, () => 0.5)
        .nextAttemptAt;
    assert.equal(wait(429, 7000), 7000);
    assert.equal(wait(503, 7000), 7000);
    assert.equal(wait(500, 7000), 1000);
    assert.equal(wait(503, 10 * 86400_000), 12 * 3600_000);
    assert.equal(retryAfterMs('120'), 120_000);
    assert.equal(retryAfterMs(new Date(60_000).toUTCString(), 0), 60_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(nextAttempt(delivery(), { httpStatus: 410 }, settings, 0).state, 'gone');
    assert.equal(nextAttempt(delivery(), { httpStatus: 204 }, settings, 0).state, 'delivered');
  });

  it('gives up on a slow receiver after the timeout', async () => {
    const receiver = await listenOnLoopback(() => {});
    try {
      const url = receiver.url;
      const started = Date.now();
      const result = await sendWebhook(delivery({ url }), {
        allowPrivateTargets: true,
        timeoutMs: 200,
      });
      assert.match(result.error ?? '', /No answer within 200 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await receiver.close();
    }
  });
});
