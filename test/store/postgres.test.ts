import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { DURATION_HISTORY_LIMIT } from '../../src/protocol/durations.js';
import {
  POSTGRES_MIGRATIONS,
  PostgresStore,
  postgresSchemaVersion,
} from '../../src/store/postgres/index.js';
import type { ChangeSignal } from '../../src/store/store.js';
import {
  adminQuery,
  drain,
  dropSchema,
  freshSchema,
  openPostgresStore,
  POSTGRES_SKIP,
  postgresStore,
  twoStores,
} from '../helpers/postgres.js';
import {
  claimOne,
  createOperation,
  inAnHour,
  newOperation,
  recordSignals,
  succeeded,
  waitFor,
} from './conformance/harness.js';
import { describeStoreConformance } from './conformance.js';

describe('PostgreSQL', { skip: POSTGRES_SKIP }, () => {
  describeStoreConformance('PostgresStore', openPostgresStore);

  describe('PostgresStore migrations', () => {
    it('three stores migrating one fresh schema at once apply each version once', async () => {
      const schema = freshSchema();
      const stores = [1, 2, 3].map(() => postgresStore(schema));
      try {
        await Promise.all(stores.map((store) => store.migrate()));
        const applied = await adminQuery(`SELECT version FROM "${schema}".migrations ORDER BY 1`);
        assert.deepEqual(
          applied,
          POSTGRES_MIGRATIONS.map(({ version }) => ({ version })),
        );
        const latest = POSTGRES_MIGRATIONS.at(-1)!.version;
        assert.deepEqual(await stores[0]!.schemaVersion(), { current: latest, latest });
        await stores[1]!.migrate();
        assert.equal((await stores[2]!.create(newOperation())).outcome, 'created');
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await dropSchema(schema);
      }
    });

    it('reports version 0 for a schema never migrated, and says what to run', async () => {
      const store = postgresStore(freshSchema());
      try {
        assert.equal((await store.schemaVersion()).current, 0);
        await assert.rejects(store.get('t', 'x'), /longrun migrate/);
      } finally {
        await store.close();
      }
    });
  });

  describe('PostgresStore batching', () => {
    it('applies writes to one operation made in the same turn in the order they were made', async () => {
      const { store, cleanup } = await openPostgresStore();
      try {
        const created = await createOperation(store);
        const { lease } = await claimOne(store);
        const written = await Promise.all([
          store.update(lease, { message: 'first' }),
          store.renew([lease], 30_000),
          store.finish(lease, succeeded()),
          store.update(lease, { message: 'too late' }),
        ]);
        assert.deepEqual(written, [
          true,
          [{ id: lease.id, held: true, cancelRequested: false }],
          true,
          false,
        ]);
        const read = await store.get(created.tenant, created.id);
        assert.equal(read.outcome === 'found' && read.operation.message, 'first');
      } finally {
        await cleanup();
      }
    });

    it('fails only the create with a value the server refuses, not its batch', async () => {
      const { store, cleanup } = await openPostgresStore();
      try {
        const results = await Promise.allSettled([
          store.create(newOperation()),
          store.create(newOperation({ title: 'nul \u0000 in a title' })),
          store.create(newOperation()),
        ]);
        assert.deepEqual(
          results.map((result) => result.status),
          ['fulfilled', 'rejected', 'fulfilled'],
        );
      } finally {
        await cleanup();
      }
    });

    it('starts a new operation for a key whose operation was deleted or has expired', async () => {
      const { store, cleanup } = await openPostgresStore();
      try {
        const idempotency = { scope: 'POST /r', key: 'k', fingerprint: 'f', expiresAt: inAnHour() };
        const first = await createOperation(store, { idempotency });
        assert.equal(
          await store.requestCancel(first.tenant, first.id, Date.now() + 30).then((r) => r.outcome),
          'canceled',
        );
        await waitFor(
          'the canceled operation to expire',
          async () => (await store.get(first.tenant, first.id)).outcome === 'gone',
        );
        const second = await createOperation(store, { idempotency });
        assert.notEqual(second.id, first.id);
        await store.requestCancel(second.tenant, second.id, inAnHour());
        assert.equal(await store.delete(second.tenant, second.id), 'deleted');
        const third = await createOperation(store, { idempotency });
        assert.notEqual(third.id, second.id);
        const replay = await store.create(newOperation({ idempotency }));
        assert.equal(replay.outcome === 'replayed' && replay.operation.id, third.id);
      } finally {
        await cleanup();
      }
    });
  });

  describe('PostgresStore durations', () => {
    it('trims the history in the table as it records, not only when it is read', async () => {
      const { store, schema, cleanup } = await openPostgresStore();
      try {
        const batch = 50;
        for (let round = 0; round < 6; round++) {
          await store.recordDurations(
            Array.from({ length: batch }, (_, index) => ({
              tenant: 't',
              kind: 'report.build',
              path: [],
              status: 'Succeeded' as const,
              durationMs: round * batch + index,
              endedAt: Date.now(),
            })),
          );
        }
        const [{ rows } = { rows: Number.NaN }] = await adminQuery<{ rows: number }>(
          `SELECT count(*)::int AS rows FROM "${schema}".duration_samples`,
        );
        // 300 recorded; each record trims to the limit what was there before it.
        assert.ok(
          rows <= DURATION_HISTORY_LIMIT + batch,
          `${rows} rows kept, at most ${DURATION_HISTORY_LIMIT + batch} expected`,
        );
        assert.equal((await store.recentDurations('report.build'))[0]?.durationsMs[0], 299);
      } finally {
        await cleanup();
      }
    });
  });

  describe('PostgresStore on a pool it is given', () => {
    it('uses the pool, and leaves it open on close', async () => {
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      const schema = freshSchema();
      const store = new PostgresStore({ pool, schema });
      try {
        assert.equal(await postgresSchemaVersion(pool, schema), 0);
        await store.migrate();
        assert.equal(
          await postgresSchemaVersion(pool, schema),
          POSTGRES_MIGRATIONS.at(-1)!.version,
        );
        const created = await createOperation(store);
        await store.close();
        const { rows } = await pool.query(`SELECT id FROM "${schema}".operations`);
        assert.deepEqual(rows, [{ id: created.id }]);
      } finally {
        await store.close();
        await pool.end();
        await dropSchema(schema);
      }
    });
  });

  describe('PostgresStore across processes', () => {
    it('two stores claiming at once never claim the same operation', async () => {
      const { a, b, cleanup } = await twoStores();
      try {
        await Promise.all(Array.from({ length: 500 }, () => a.create(newOperation())));
        const [byA, byB] = await Promise.all([drain(a, 'worker-a'), drain(b, 'worker-b')]);
        const all = [...byA, ...byB];
        assert.equal(all.length, 500, 'every operation is claimed');
        assert.equal(new Set(all).size, 500, 'no operation is claimed twice');
        assert.ok(byA.length > 0 && byB.length > 0, 'both claimers took part');
        const listed = await a.list({ tenant: 'tenant-a', limit: 1000, statuses: ['Succeeded'] });
        assert.equal(listed.length, 500);
      } finally {
        await cleanup();
      }
    });

    it('a cancel requested through one store reaches the other store in well under a second', async (t) => {
      const { a, b, cleanup } = await twoStores();
      try {
        const heard = recordSignals(b);
        await b.listening();
        const created = await createOperation(a);
        await heard.waitFor(created.id, 'created');
        const { lease } = (
          await b.claim({ workerId: 'w', kinds: [created.kind], limit: 1, leaseMs: 30_000 })
        )[0]!;
        const started = performance.now();
        assert.equal(
          (await a.requestCancel(created.tenant, created.id, inAnHour())).outcome,
          'canceling',
        );
        const signal = await heard.waitFor(created.id, 'cancel-requested');
        const elapsed = performance.now() - started;
        assert.deepEqual(signal, {
          id: created.id,
          tenant: created.tenant,
          kind: 'cancel-requested',
        });
        t.diagnostic(`the cancel reached the other store in ${elapsed.toFixed(1)} ms`);
        assert.ok(elapsed < 250, `the cancel took ${elapsed.toFixed(1)} ms to arrive`);
        assert.ok(await b.finish(lease, succeeded()));
        heard.stop();
      } finally {
        await cleanup();
      }
    });

    it('hears its own writes once, and another store’s through NOTIFY', async () => {
      const { a, b, cleanup } = await twoStores();
      try {
        const onA = recordSignals(a);
        const onB = recordSignals(b);
        await Promise.all([a.listening(), b.listening()]);
        const created = await createOperation(a);
        await onB.waitFor(created.id, 'created');
        const fence = await createOperation(b);
        await onA.waitFor(fence.id, 'created');
        assert.deepEqual(onA.kindsOf(created.id), ['created'], 'no echo of its own NOTIFY');
        onA.stop();
        onB.stop();
      } finally {
        await cleanup();
      }
    });

    it('signals a batch too large for one notification in full, and an oversize tenant as none', async () => {
      const { a, b, cleanup } = await twoStores();
      try {
        const onB = recordSignals(b);
        await b.listening();
        // Created in one turn: one batch, whose signals (about 60 bytes each) exceed a NOTIFY payload
        // (NOTIFYed by the insert itself).
        const tenants = Array.from({ length: 400 }, (_, index) =>
          index === 0 ? 't'.repeat(2000) : `tenant-${index}`,
        );
        const created = await Promise.all(tenants.map((tenant) => createOperation(a, { tenant })));
        await waitFor('every creation to reach the other store', () =>
          created.every((operation) => onB.kindsOf(operation.id).includes('created')),
        );
        const heard = (id: string) => onB.seen.find((signal) => signal.id === id);
        assert.equal(heard(created[1]!.id)?.tenant, 'tenant-1');
        assert.equal(heard(created[1]!.id)?.operationKind, created[1]!.kind);
        assert.equal(heard(created[0]!.id)?.tenant, '', 'a tenant over 1 KiB is left out');
        // Claimed in one statement: signalled after the commit (SignalSender), as one batch again.
        const claimed = await a.claim({
          workerId: 'worker-1',
          kinds: [created[0]!.kind],
          limit: created.length,
          leaseMs: 30_000,
        });
        assert.equal(claimed.length, created.length);
        await waitFor('every claim to reach the other store', () =>
          created.every((operation) => onB.kindsOf(operation.id).includes('updated')),
        );
        const update = (id: string) =>
          onB.seen.find((signal) => signal.id === id && signal.kind === 'updated');
        assert.equal(update(created[1]!.id)?.tenant, 'tenant-1');
        assert.equal(update(created[0]!.id)?.tenant, '', 'a tenant over 1 KiB is left out');
        onB.stop();
      } finally {
        await cleanup();
      }
    });

    it('listens only for what its listeners want: a worker hears new work and cancels, not progress', async () => {
      const { schema, a, b, cleanup } = await twoStores();
      try {
        // This schema's LISTENs only: suites running beside this one listen on their own.
        const listens = () =>
          adminQuery<{ query: string }>(
            'SELECT query FROM pg_stat_activity WHERE query = ANY($1) ORDER BY query',
            [[`LISTEN "longrun_${schema}"`, `LISTEN "longrun_work_${schema}"`]],
          );
        assert.deepEqual(await listens(), [], 'no listener, no LISTEN');
        // b: a worker's listener, then one that wants every kind (a stream, say): both channels.
        const worker = b.onChange(() => {}, { kinds: ['created', 'cancel-requested'] });
        const onB = recordSignals(b);
        await b.listening();
        // c: only a worker's listener, so only the work channel.
        const c = postgresStore(schema);
        try {
          const onC: ChangeSignal[] = [];
          const stopC = c.onChange((signal) => onC.push(signal), {
            kinds: ['created', 'cancel-requested'],
          });
          await c.listening();
          assert.deepEqual(
            (await listens()).map(({ query }) => query),
            [`LISTEN "longrun_${schema}"`, `LISTEN "longrun_work_${schema}"`],
            'b listened on the watch channel last; c on the work channel only',
          );
          const created = await createOperation(a);
          const { lease } = await claimOne(a, { kind: created.kind });
          assert.equal(
            (await a.requestCancel(created.tenant, created.id, inAnHour())).outcome,
            'canceling',
          );
          assert.ok(await a.finish(lease, succeeded()));
          await onB.waitFor(created.id, 'finished');
          await waitFor('c to hear the cancel request', () =>
            onC.find((signal) => signal.id === created.id && signal.kind === 'cancel-requested'),
          );
          assert.deepEqual(
            onC.filter((signal) => signal.id === created.id).map((signal) => signal.kind),
            ['created', 'cancel-requested'],
          );
          assert.equal(
            onC.find((signal) => signal.id === created.id)?.operationKind,
            created.kind,
            'a new operation names its kind through NOTIFY too',
          );
          assert.deepEqual(onB.kindsOf(created.id), [
            'created',
            'updated',
            'cancel-requested',
            'finished',
          ]);
          stopC();
        } finally {
          await c.close();
        }
        worker();
        onB.stop();
      } finally {
        await cleanup();
      }
    });

    it('reconnects its LISTEN connection when the server ends it, and signals keep arriving', async () => {
      const { schema, a, b, cleanup } = await twoStores({ reconnectMinMs: 20 });
      try {
        const heard: ChangeSignal[] = [];
        const stop = b.onChange((signal) => heard.push(signal));
        const stopA = a.onChange(() => {});
        const listeners = () =>
          adminQuery<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE query = $1', [
            `LISTEN "longrun_${schema}"`,
          ]);
        const before = await waitFor('both stores to listen', async () => {
          const now = await listeners();
          return now.length === 2 && now;
        });
        for (const { pid } of before) await adminQuery('SELECT pg_terminate_backend($1)', [pid]);
        await waitFor('the synthetic created signal after reconnecting', () =>
          heard.find((signal) => signal.kind === 'created' && signal.id === ''),
        );
        const after = await waitFor('both stores to listen again', async () => {
          const now = await listeners();
          return now.length === 2 && now;
        });
        assert.ok(after.every(({ pid }) => !before.some((old) => old.pid === pid)));
        const created = await createOperation(a);
        await waitFor('a signal from the other store after reconnecting', () =>
          heard.find((signal) => signal.id === created.id && signal.kind === 'created'),
        );
        stop();
        stopA();
      } finally {
        await cleanup();
      }
    });
  });
});
