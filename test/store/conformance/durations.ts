import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DURATION_HISTORY_LIMIT,
  durationBucket,
  HOUR_MS,
} from '../../../src/protocol/durations.js';
import type { DurationCount, DurationSample } from '../../../src/store/store.js';
import { type CurrentStore, KIND, OTHER_TENANT, TENANT } from './harness.js';

const sample = (overrides: Partial<DurationSample> = {}): DurationSample => ({
  tenant: TENANT,
  kind: KIND,
  path: [],
  status: 'Succeeded',
  durationMs: 1000,
  endedAt: Date.now(),
  ...overrides,
});

/** Counts per `kind|path|status`, summed over buckets, for comparing whole answers. */
function totals(rows: readonly DurationCount[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const row of rows) {
    const key = `${row.kind}|${row.path.join('/')}|${row.status}`;
    sums[key] = (sums[key] ?? 0) + row.count;
  }
  return sums;
}

export function describeDurations(current: CurrentStore): void {
  describe('durations', () => {
    it('keeps successes per kind and step path, newest first, for estimates', async () => {
      const store = current();
      await store.recordDurations([
        sample({ durationMs: 1000 }),
        sample({ durationMs: 1200, path: ['Fetch'] }),
        sample({ durationMs: 5000, status: 'Failed' }),
        sample({ durationMs: 300, path: ['Fetch'], status: 'Canceled' }),
      ]);
      await store.recordDurations([
        sample({ durationMs: 2000, tenant: OTHER_TENANT }),
        sample({ durationMs: 1300, path: ['Fetch', 'Page 1'] }),
        sample({ durationMs: 9, kind: 'other.kind' }),
      ]);
      const history = await store.recentDurations(KIND);
      const byPath = Object.fromEntries(history.map((h) => [h.path.join('/'), h.durationsMs]));
      assert.deepEqual(byPath, {
        '': [2000, 1000],
        Fetch: [1200],
        'Fetch/Page 1': [1300],
      });
      assert.deepEqual(await store.recentDurations('never.ran'), []);
      await store.recordDurations([]);
    });

    it(`keeps only the newest ${DURATION_HISTORY_LIMIT} successes of a path`, async () => {
      const store = current();
      const extra = 25;
      for (let batch = 0; batch < 5; batch++) {
        const size = (DURATION_HISTORY_LIMIT + extra) / 5;
        await store.recordDurations(
          Array.from({ length: size }, (_, index) =>
            sample({ durationMs: batch * size + index + 1 }),
          ),
        );
      }
      const [history] = await store.recentDurations(KIND);
      assert.equal(history?.durationsMs.length, DURATION_HISTORY_LIMIT);
      assert.equal(history?.durationsMs[0], DURATION_HISTORY_LIMIT + extra, 'newest first');
      assert.equal(history?.durationsMs.at(-1), extra + 1, 'the oldest ones went');
    });

    it('counts every outcome per tenant, kind, path and status within the window', async () => {
      const store = current();
      const now = Date.now();
      const longAgo = now - 48 * HOUR_MS;
      await store.recordDurations([
        sample({ durationMs: 1000 }),
        sample({ durationMs: 1000 }),
        sample({ durationMs: 4000 }),
        sample({ status: 'Failed', durationMs: 50 }),
        sample({ status: 'Canceled', path: ['Fetch'], durationMs: 70 }),
        sample({ path: ['Fetch'], durationMs: 700 }),
        sample({ endedAt: longAgo }),
        sample({ tenant: OTHER_TENANT, status: 'Failed' }),
      ]);
      const rows = await store.durationCounts({ tenant: TENANT, since: now - 24 * HOUR_MS });
      assert.deepEqual(totals(rows), {
        [`${KIND}||Succeeded`]: 3,
        [`${KIND}||Failed`]: 1,
        [`${KIND}|Fetch|Succeeded`]: 1,
        [`${KIND}|Fetch|Canceled`]: 1,
      });
      const succeeded = rows
        .filter((row) => row.path.length === 0 && row.status === 'Succeeded')
        .map((row) => [row.bucket, row.count]);
      assert.deepEqual(
        succeeded.sort((x, y) => x[0]! - y[0]!),
        [
          [durationBucket(1000), 2],
          [durationBucket(4000), 1],
        ],
        'a histogram over duration buckets',
      );
      const wide = await store.durationCounts({ tenant: TENANT, since: now - 72 * HOUR_MS });
      assert.equal(totals(wide)[`${KIND}||Succeeded`], 4, 'the older run is in a wider window');
      assert.deepEqual(
        totals(await store.durationCounts({ tenant: 'nobody', since: now - HOUR_MS })),
        {},
      );
    });

    it('adds up counts recorded by separate writes into the same hour', async () => {
      const store = current();
      await Promise.all(
        Array.from({ length: 10 }, () => store.recordDurations([sample({ durationMs: 1000 })])),
      );
      const rows = await store.durationCounts({ tenant: TENANT, since: Date.now() - HOUR_MS });
      assert.deepEqual(
        rows.map(({ kind, path, status, count }) => ({ kind, path, status, count })),
        [{ kind: KIND, path: [], status: 'Succeeded', count: 10 }],
      );
      assert.equal((await store.recentDurations(KIND))[0]?.durationsMs.length, 10);
    });
  });
}
