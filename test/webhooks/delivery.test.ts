import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { backends } from './backends.js';
import { CALLBACK_SECRET, FAST, KEYS, startReceiver, startServer, until } from './harness.js';

for (const backend of backends()) {
  describe(`webhooks: delivery (${backend.name})`, { skip: backend.skip }, () => {
    before(() => backend.setUp());
    after(() => backend.tearDown());

    it('sends signed webhooks that standardwebhooks verifies: subscription, Callback-Url, OData GET', async () => {
      const receiver = await startReceiver();
      const server = await startServer(backend.open('signed'));
      try {
        const made = await server.call(KEYS.a, 'POST', '/webhooks/subscriptions', {
          body: JSON.stringify({ url: `${receiver.url}/sub`, types: ['operation.succeeded'] }),
        });
        assert.equal(made.status, 201);
        const subscription = (await made.json()) as { id: string; secret: string; types: string[] };
        assert.match(subscription.secret, /^whsec_/);
        assert.deepEqual(subscription.types, ['operation.succeeded']);

        const started = await server.call(KEYS.a, 'POST', '/jobs', {
          body: '{}',
          headers: {
            'callback-url': `${receiver.url}/cb`,
            prefer: `respond-async, callback; url="${receiver.url}/odata"`,
          },
        });
        assert.equal(started.status, 202);
        assert.equal(started.headers.get('preference-applied'), 'respond-async, callback');
        const { id } = (await started.json()) as { id: string };

        const [sub] = await receiver.waitFor(1, (r) => r.path === '/sub');
        const [callback] = await receiver.waitFor(1, (r) => r.path === '/cb');
        const [odata] = await receiver.waitFor(1, (r) => r.path === '/odata');
        const event = new Webhook(subscription.secret).verify(sub!.body, sub!.headers) as {
          type: string;
          timestamp: string;
          data: { id: string; kind: string; status: string; links: { self: string } };
        };
        assert.equal(event.type, 'operation.succeeded');
        assert.equal(event.data.id, id);
        assert.equal(event.data.kind, 'test.job');
        assert.equal(event.data.status, 'Succeeded');
        assert.equal(event.data.links.self, `${server.url}/operations/${id}`);
        assert.ok(!Number.isNaN(Date.parse(event.timestamp)));
        const direct = new Webhook(CALLBACK_SECRET).verify(callback!.body, callback!.headers);
        assert.deepEqual(direct, { ...event });
        assert.notEqual(callback!.headers['webhook-id'], sub!.headers['webhook-id']);
        assert.equal(odata!.method, 'GET');
        assert.throws(() => new Webhook(CALLBACK_SECRET).verify(sub!.body, sub!.headers));

        const log = await until(async () => {
          const reply = await server.call(KEYS.a, 'GET', `/operations/${id}/webhooks`);
          const body = (await reply.json()) as { value: { state: string; attempts: number }[] };
          return body.value.length === 3 && body.value.every((d) => d.state === 'delivered')
            ? body.value
            : undefined;
        });
        assert.ok(log.every((delivery) => delivery.attempts === 1));
      } finally {
        await server.stop();
        await receiver.close();
      }
    });

    it('retries a failing receiver with the same webhook-id, honours Retry-After, then stops', async () => {
      const receiver = await startReceiver((_request, index) => {
        if (index === 0) return { status: 500 };
        if (index === 1) return { status: 429, headers: { 'retry-after': '1' } };
        return { status: 200 };
      });
      const server = await startServer(backend.open('retry'));
      try {
        await server.call(KEYS.a, 'POST', '/jobs', {
          body: '{"fail": true}',
          headers: { 'callback-url': `${receiver.url}/cb` },
        });
        const attempts = await receiver.waitFor(3);
        const ids = new Set(attempts.map((r) => r.headers['webhook-id']));
        assert.equal(ids.size, 1, 'every attempt carries the same webhook-id');
        assert.equal((JSON.parse(attempts[2]!.body) as { type: string }).type, 'operation.failed');
        // The 429 asked for 1 s; the schedule alone would have waited 150 ms.
        assert.ok(attempts[2]!.at - attempts[1]!.at >= 900, 'Retry-After was honoured');
        await sleep(500);
        assert.equal(receiver.received.length, 3, 'delivered exactly once more after the failures');
        const reply = await server.call(KEYS.a, 'GET', '/webhooks/deliveries');
        const [delivery] = ((await reply.json()) as { value: Record<string, unknown>[] }).value;
        assert.equal(delivery!.state, 'delivered');
        assert.equal(delivery!.attempts, 3);
        assert.equal(delivery!.lastHttpStatus, 200);
      } finally {
        await server.stop();
        await receiver.close();
      }
    });

    it('loses no delivery across a server restart between attempts', async () => {
      let healthy = false;
      const receiver = await startReceiver(() => ({ status: healthy ? 204 : 503 }));
      const first = await startServer(backend.open('restart'), {
        ...FAST,
        retryScheduleMs: [400, 400, 400],
      });
      await first.call(KEYS.a, 'POST', '/jobs', {
        body: '{}',
        headers: { 'callback-url': `${receiver.url}/cb` },
      });
      const [failed] = await receiver.waitFor(1);
      await first.stop();
      healthy = true;
      const second = await startServer(backend.open('restart'));
      try {
        const all = await receiver.waitFor(2);
        assert.equal(all[1]!.headers['webhook-id'], failed!.headers['webhook-id']);
        new Webhook(CALLBACK_SECRET).verify(all[1]!.body, all[1]!.headers);
      } finally {
        await second.stop();
        await receiver.close();
      }
    });
  });
}
