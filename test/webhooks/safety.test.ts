import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPrivateAddress } from '../../src/webhooks/target-guard.js';
import { backends } from './backends.js';
import { KEYS, startReceiver, startServer, until } from './harness.js';

for (const backend of backends()) {
  describe(`webhooks: targets, 410 and tenants (${backend.name})`, { skip: backend.skip }, () => {
    before(() => backend.setUp());
    after(() => backend.tearDown());

    it('classifies private, loopback, link-local, CGNAT, multicast and mapped addresses', () => {
      for (const address of [
        '127.0.0.1',
        '10.1.2.3',
        '172.20.0.1',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '224.0.0.1',
        '0.0.0.0',
        '::',
        '::1',
        'fe80::1',
        'fd00::1',
        'ff02::1',
        '::ffff:127.0.0.1',
        '::ffff:7f00:1',
        '::ffff:a9fe:a9fe',
      ]) {
        assert.equal(isPrivateAddress(address), true, address);
      }
      for (const address of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
        assert.equal(isPrivateAddress(address), false, address);
      }
    });

    it('refuses a target on a private address by default (422), storing nothing', async () => {
      const server = await startServer(backend.open('private'), {});
      try {
        const subscription = await server.call(KEYS.a, 'POST', '/webhooks/subscriptions', {
          body: JSON.stringify({ url: 'http://localhost:9/hook' }),
        });
        assert.equal(subscription.status, 422);
        const problem = (await subscription.json()) as { error: { code: string; target: string } };
        assert.equal(problem.error.target, 'url');
        for (const headers of [
          { 'callback-url': 'http://10.0.0.8/cb' },
          { 'callback-url': 'http://[::ffff:127.0.0.1]:9/cb' },
          { prefer: 'callback; url="http://169.254.169.254/latest"' },
        ]) {
          const started = await server.call(KEYS.a, 'POST', '/jobs', { body: '{}', headers });
          assert.equal(started.status, 422, JSON.stringify(headers));
        }
        const list = await server.call(KEYS.a, 'GET', '/operations');
        assert.deepEqual(((await list.json()) as { value: unknown[] }).value, []);
        const subscriptions = await server.call(KEYS.a, 'GET', '/webhooks/subscriptions');
        assert.deepEqual(((await subscriptions.json()) as { value: unknown[] }).value, []);
      } finally {
        await server.stop();
      }
    });

    it('disables a subscription whose receiver answers 410 Gone', async () => {
      const receiver = await startReceiver(() => ({ status: 410 }));
      const server = await startServer(backend.open('gone'));
      try {
        const made = await server.call(KEYS.a, 'POST', '/webhooks/subscriptions', {
          body: JSON.stringify({ url: `${receiver.url}/sub` }),
        });
        const { id } = (await made.json()) as { id: string };
        await server.call(KEYS.a, 'POST', '/jobs', { body: '{}' });
        await receiver.waitFor(1);
        const shown = await until(async () => {
          const reply = await server.call(KEYS.a, 'GET', `/webhooks/subscriptions/${id}`);
          const body = (await reply.json()) as { disabled: boolean };
          return body.disabled ? body : undefined;
        });
        assert.equal(shown.disabled, true);
        await server.call(KEYS.a, 'POST', '/jobs', { body: '{}' });
        await sleep(400);
        assert.equal(receiver.received.length, 1, 'a disabled subscription gets nothing more');
        const log = await server.call(KEYS.a, 'GET', '/webhooks/deliveries');
        const [delivery] = ((await log.json()) as { value: { state: string }[] }).value;
        assert.equal(delivery!.state, 'gone');
      } finally {
        await server.stop();
        await receiver.close();
      }
    });

    it('sends operation.progress only to subscriptions that ask for it', async () => {
      const receiver = await startReceiver();
      const server = await startServer(backend.open('progress'));
      try {
        await server.call(KEYS.a, 'POST', '/webhooks/subscriptions', {
          body: JSON.stringify({ url: `${receiver.url}/p`, types: ['operation.progress'] }),
        });
        await server.call(KEYS.a, 'POST', '/jobs', { body: '{}' });
        const [progress] = await receiver.waitFor(1);
        const event = JSON.parse(progress!.body) as {
          type: string;
          data: { percentComplete: number; status: string };
        };
        assert.equal(event.type, 'operation.progress');
        assert.equal(event.data.percentComplete, 50);
        assert.equal(event.data.status, 'Running');
        await sleep(400);
        assert.equal(receiver.received.length, 1, 'no terminal event: not subscribed');
      } finally {
        await server.stop();
        await receiver.close();
      }
    });

    it("scopes subscriptions and the delivery log to the caller's tenant", async () => {
      const receiver = await startReceiver();
      const server = await startServer(backend.open('tenants'));
      try {
        const made = await server.call(KEYS.a, 'POST', '/webhooks/subscriptions', {
          body: JSON.stringify({ url: `${receiver.url}/a` }),
        });
        const subscription = (await made.json()) as { id: string };
        const started = await server.call(KEYS.a, 'POST', '/jobs', { body: '{}' });
        const { id } = (await started.json()) as { id: string };
        await receiver.waitFor(1);
        const own = await server.call(KEYS.a, 'GET', '/webhooks/deliveries');
        assert.equal(((await own.json()) as { value: unknown[] }).value.length, 1);

        const other = await server.call(KEYS.b, 'GET', '/webhooks/deliveries');
        assert.deepEqual(((await other.json()) as { value: unknown[] }).value, []);
        const filtered = await server.call(KEYS.b, 'GET', `/webhooks/deliveries?operationId=${id}`);
        assert.deepEqual(((await filtered.json()) as { value: unknown[] }).value, []);
        assert.equal((await server.call(KEYS.b, 'GET', `/operations/${id}/webhooks`)).status, 404);
        const subscriptions = await server.call(KEYS.b, 'GET', '/webhooks/subscriptions');
        assert.deepEqual(((await subscriptions.json()) as { value: unknown[] }).value, []);
        const path = `/webhooks/subscriptions/${subscription.id}`;
        assert.equal((await server.call(KEYS.b, 'GET', path)).status, 404);
        assert.equal((await server.call(KEYS.b, 'DELETE', path)).status, 404);
        assert.equal((await server.call(KEYS.a, 'DELETE', path)).status, 200);
        assert.equal((await server.call(KEYS.a, 'GET', path)).status, 404);
        // Settled deliveries are pruned from the log once past its retention.
        assert.equal(await server.longrun.store.webhooks.pruneDeliveries(Date.now() + 1), 1);
        const pruned = await server.call(KEYS.a, 'GET', '/webhooks/deliveries');
        assert.deepEqual(((await pruned.json()) as { value: unknown[] }).value, []);
      } finally {
        await server.stop();
        await receiver.close();
      }
    });
  });
}
