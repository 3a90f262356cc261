import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatsWindow, statsDocument } from '../../src/protocol/duration-stats.js';
import { durationBucket, HOUR_MS } from '../../src/protocol/durations.js';
import { ProblemError } from '../../src/protocol/problem.js';
import type { DurationCount } from '../../src/store/store.js';

describe('GET R/stats document', () => {
  it('takes windows of minutes, hours or days up to 30 days, 24h by default', () => {
    assert.deepEqual(parseStatsWindow(null), { text: '24h', ms: 24 * HOUR_MS });
    assert.deepEqual(parseStatsWindow('30m'), { text: '30m', ms: 30 * 60_000 });
    assert.deepEqual(parseStatsWindow('30d'), { text: '30d', ms: 30 * 24 * HOUR_MS });
    for (const bad of ['0h', '31d', '1.5h', '-2h', '24', 'h', '1w', ' ']) {
      assert.throws(
        () => parseStatsWindow(bad),
        (error) => error instanceof ProblemError && error.status === 400,
        bad,
      );
    }
  });

  it('counts by outcome and reads p50/p95 of the successes, per kind and step path', () => {
    const row = (overrides: Partial<DurationCount>): DurationCount => ({
      kind: 'b.kind',
      path: [],
      status: 'Succeeded',
      bucket: durationBucket(1000),
      count: 1,
      ...overrides,
    });
    const rows = [
      row({ count: 18 }),
      row({ bucket: durationBucket(9000), count: 2 }),
      row({ status: 'Failed', bucket: durationBucket(10), count: 3 }),
      row({ path: ['Fetch'], status: 'Canceled' }),
      row({ kind: 'a.kind' }),
    ];
    const now = Date.UTC(2026, 0, 2, 10, 30);
    const document = statsDocument(rows, { text: '24h', ms: 24 * HOUR_MS }, now);
    assert.equal(document.from, '2026-01-01T10:00:00.000Z', 'whole hours');
    assert.deepEqual(
      document.kinds.map((kind) => kind.kind),
      ['a.kind', 'b.kind'],
    );
    const kind = document.kinds[1]!;
    assert.deepEqual(kind.counts, { Succeeded: 20, Failed: 3, Canceled: 0 });
    assert.ok(Math.abs(kind.durationSeconds!.p50 - 1) < 0.03, `p50 ${kind.durationSeconds!.p50}`);
    assert.ok(Math.abs(kind.durationSeconds!.p95 - 9) < 0.25, `p95 ${kind.durationSeconds!.p95}`);
    assert.deepEqual(kind.steps, [
      { path: ['Fetch'], title: 'Fetch', counts: { Succeeded: 0, Failed: 0, Canceled: 1 } },
    ]);
  });
});
