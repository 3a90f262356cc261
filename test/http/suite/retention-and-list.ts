import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reply } from '../../helpers/api-client.js';
import { assertAbsoluteUrl, assertProblem } from '../../helpers/assertions.js';
import type { ListView, OperationView } from '../../helpers/views.js';
import type { SuiteEnvironment } from './environment.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PROTOCOL.md section 5 (retention) and the list of section 1. */
export function describeRetentionAndList(env: SuiteEnvironment): void {
  describe('retention', () => {
    const app = env.useApp('retention', { retention: { completedMs: 300, tombstoneMs: 60_000 } });

    it('shows expirationDateTime, then answers 410 Gone and drops the operation from the list', async () => {
      const api = app().client();
      const start = await api.post('/reports', { items: 1, itemMs: 0 });
      const done = await api.done(start.body.id);
      const expiresAt = Date.parse(done.expirationDateTime!);
      const retainedMs = expiresAt - Date.parse(done.endTime!);
      assert.ok(retainedMs >= 250 && retainedMs <= 400, `kept ${retainedMs} ms after its end`);
      assert.deepEqual(
        (await api.listAll()).map((operation) => operation.id),
        [done.id],
      );

      await sleep(Math.max(0, expiresAt - Date.now()) + 50);
      assertProblem(await api.operation(done.id), 410, 'Gone');
      assertProblem(await api.result(done.id), 410, 'Gone');
      assertProblem(await api.cancel(done.id), 410, 'Gone');
      assertProblem(await api.delete(api.operationUrl(done.id)), 410, 'Gone');
      assert.deepEqual(await api.listAll(), [], 'the list no longer includes it');
    });
  });

  describe('list', () => {
    const app = env.useApp('list');

    it('pages with a cursor, newest first, with no repeats or gaps, and filters by status and kind', async () => {
      const api = app().client();
      const reports: string[] = [];
      for (let i = 0; i < 3; i++) {
        const start = await api.post('/reports', { items: 1, itemMs: 0 });
        reports.push(start.body.id);
        await api.done(start.body.id);
      }
      const gates = [env.gates.create(), env.gates.create()];
      const held: string[] = [];
      for (const gate of gates) held.push((await api.post('/held', { gate: gate.name })).body.id);
      await Promise.all(gates.map((gate) => gate.started));
      const all = [...reports, ...held];

      const seen: OperationView[] = [];
      let page: Reply<ListView> = await api.get<ListView>('/operations?pageSize=2');
      for (;;) {
        assert.equal(page.status, 200);
        assert.equal(page.headers.get('cache-control'), 'private, no-cache');
        assert.ok(page.body.value.length <= 2);
        seen.push(...page.body.value);
        if (!page.body.nextLink) {
          assert.equal(page.body.nextPageToken, undefined);
          break;
        }
        assertAbsoluteUrl(page.body.nextLink, 'nextLink');
        const next = new URL(page.body.nextLink);
        assert.equal(next.searchParams.get('pageToken'), page.body.nextPageToken);
        assert.equal(next.searchParams.get('pageSize'), '2', 'nextLink keeps the query');
        page = await api.get<ListView>(page.body.nextLink);
      }
      const seenIds = seen.map((operation) => operation.id);
      assert.equal(new Set(seenIds).size, seenIds.length, 'no operation twice');
      assert.deepEqual(seenIds.toSorted(), all.toSorted(), 'every operation, no gaps');
      const created = seen.map((operation) => Date.parse(operation.createdDateTime));
      assert.ok(
        created.every((time, index) => index === 0 || time <= created[index - 1]!),
        'newest first',
      );

      const byToken = await api.get<ListView>('/operations?pageSize=4');
      const rest = await api.get<ListView>(
        `/operations?pageSize=4&pageToken=${byToken.body.nextPageToken}`,
      );
      assert.deepEqual(
        rest.body.value.map((operation) => operation.id),
        seenIds.slice(4),
        'a page token continues where its page ended',
      );

      const ids = async (query: string) =>
        (await api.listAll(query)).map((operation) => operation.id).sort();
      assert.deepEqual(await ids('?status=Succeeded'), [...reports].sort());
      assert.deepEqual(await ids('?status=Running'), [...held].sort());
      assert.deepEqual(await ids('?status=Running,Succeeded'), all.toSorted());
      assert.deepEqual(await ids('?status=Running&status=Succeeded'), all.toSorted());
      assert.deepEqual(await ids('?kind=test.held'), [...held].sort());
      assert.deepEqual(await ids('?kind=report.generate&status=Running'), []);

      for (const gate of gates) gate.open();
      await Promise.all(held.map((id) => api.done(id)));
    });

    it('answers 400 problem for an unknown status, a bad page size or a foreign page token', async () => {
      const api = app().client();
      const status = assertProblem(
        await api.get('/operations?status=Done'),
        400,
        'InvalidArgument',
      );
      assert.equal(status.error.target, 'status');
      assertProblem(await api.get('/operations?pageSize=0'), 400, 'InvalidArgument');
      assertProblem(await api.get('/operations?pageToken=bm9wZQ'), 400, 'InvalidArgument');
    });
  });
}
