import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiClient } from '../../helpers/api-client.js';
import type { SuiteEnvironment } from './environment.js';
import type { Gate } from './gates.js';

/** Starts a held operation in `stages` stages and waits until its code runs. */
async function startHeld(api: ApiClient, gate: Gate, stages: number): Promise<string> {
  const start = await api.post('/held', { gate: gate.name, stages });
  assert.equal(start.status, 202);
  await gate.started;
  await api.until(start.body.id, (operation) => operation.status === 'Running', 'Running');
  return start.body.id;
}

/** PROTOCOL.md section 3, last rows: ETag, If-None-Match, long-poll GET, and `:wait`. */
export function describeConditionalAndLongPoll(env: SuiteEnvironment): void {
  describe('conditional GET and long-poll', () => {
    const app = env.useApp('long-poll');

    it('changes the ETag with every revision and answers 304 to a matching If-None-Match', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const id = await startHeld(api, gate, 2);
      const first = await api.operation(id);
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^"[^"]+"$/);

      const unchanged = await api.operation(id, { 'if-none-match': etag });
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.body, '', 'a 304 has no body');
      assert.equal(unchanged.headers.get('etag'), etag);

      gate.open();
      const moved = await api.until(
        id,
        (operation) => operation.progress?.completed === 1,
        'stage 1',
      );
      const changed = await api.operation(id, { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      assert.equal(changed.body.progress?.completed, moved.progress?.completed);

      gate.open();
      await api.done(id);
    });

    it('holds Prefer: wait=N with If-None-Match and answers as soon as the revision changes', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const id = await startHeld(api, gate, 2);
      const etag = (await api.operation(id)).headers.get('etag')!;

      const poll = api.operation(id, { prefer: 'wait=10', 'if-none-match': etag });
      const opened = new Promise((resolve) => setTimeout(resolve, 200)).then(() => gate.open());
      const reply = await poll;
      await opened;
      assert.equal(reply.status, 200);
      assert.ok(reply.elapsedMs >= 150, `held until the change (${reply.elapsedMs} ms)`);
      assert.ok(reply.elapsedMs < 2500, `answered ${reply.elapsedMs} ms after asking, not 10 s`);
      assert.equal(reply.headers.get('preference-applied'), 'wait=10');
      assert.notEqual(reply.headers.get('etag'), etag);
      assert.equal(reply.body.progress?.completed, 1);

      gate.open();
      await api.done(id);
    });

    it('holds Prefer: wait=N without If-None-Match until the current revision changes', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const id = await startHeld(api, gate, 2);
      const poll = api.operation(id, { prefer: 'wait=10' });
      const opened = new Promise((resolve) => setTimeout(resolve, 200)).then(() => gate.open());
      const reply = await poll;
      await opened;
      assert.equal(reply.status, 200);
      assert.ok(
        reply.elapsedMs >= 150 && reply.elapsedMs < 2500,
        `answered in ${reply.elapsedMs} ms`,
      );
      assert.equal(reply.body.progress?.completed, 1);
      gate.open();
      await api.done(id);
    });

    it('answers a long-poll with 304 when nothing changes within the wait', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const id = await startHeld(api, gate, 1);
      const etag = (await api.operation(id)).headers.get('etag')!;

      const reply = await api.operation(id, { prefer: 'wait=1', 'if-none-match': etag });
      assert.equal(reply.status, 304);
      assert.ok(reply.elapsedMs >= 900, `held for the wait (${reply.elapsedMs} ms)`);
      assert.ok(reply.elapsedMs < 4000, `not much longer (${reply.elapsedMs} ms)`);
      assert.equal(reply.headers.get('etag'), etag);

      gate.open();
      await api.done(id);
    });

    it('answers a long-poll on a finished operation at once', async () => {
      const api = app().client();
      const start = await api.post('/reports', { items: 1, itemMs: 0 });
      const done = await api.done(start.body.id);
      const reply = await api.operation(done.id, { prefer: 'wait=10' });
      assert.equal(reply.status, 200);
      assert.ok(reply.elapsedMs < 2000, `answered in ${reply.elapsedMs} ms`);
      assert.equal(reply.body.status, 'Succeeded');
    });

    it('holds POST :wait until the operation is done', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const id = await startHeld(api, gate, 1);
      const wait = api.post(`${api.operationUrl(id)}:wait`);
      const opened = new Promise((resolve) => setTimeout(resolve, 200)).then(() => gate.open());
      const reply = await wait;
      await opened;
      assert.equal(reply.status, 200);
      assert.equal(reply.body.done, true);
      assert.equal(reply.body.status, 'Succeeded');
      assert.ok(reply.elapsedMs >= 150 && reply.elapsedMs < 3000, `waited ${reply.elapsedMs} ms`);
    });

    it('answers POST :wait with the current state when its timeout passes first', async () => {
      const api = app().client();
      const gate = env.gates.create();
      const id = await startHeld(api, gate, 1);
      const reply = await api.post(`${api.operationUrl(id)}:wait?timeout=0.3s`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.done, false);
      assert.ok(reply.elapsedMs >= 250 && reply.elapsedMs < 3000, `waited ${reply.elapsedMs} ms`);
      gate.open();
      await api.done(id);
    });
  });
}
