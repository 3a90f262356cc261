import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bucketValueMs,
  durationBucket,
  durationWrites,
  histogramPercentile,
  median,
} from '../../src/protocol/durations.js';
import {
  EMPTY_BASIS,
  estimateBasis,
  estimateOperation,
  retryAfterForRemaining,
} from '../../src/protocol/estimate.js';
import { retryAfterSeconds } from '../../src/protocol/retry-after.js';
import type { OperationRecord, StepRecord } from '../../src/store/store.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const S = 1000;

type Estimated = Pick<
  OperationRecord,
  'status' | 'startedAt' | 'percentComplete' | 'progress' | 'steps'
>;

const running = (overrides: Partial<Estimated> = {}): Estimated => ({
  status: 'Running',
  startedAt: NOW - 10 * S,
  percentComplete: undefined,
  progress: undefined,
  steps: [],
  ...overrides,
});

/** A basis whose operation took `operationMs` and each `[titles, ms]` step took ms. */
const basisOf = (operationMs: number | undefined, steps: [string[], number][] = []) =>
  estimateBasis([
    ...(operationMs === undefined ? [] : [{ path: [], durationsMs: [operationMs] }]),
    ...steps.map(([path, ms]) => ({ path, durationsMs: [ms] })),
  ]);

const step = (id: string, title: string, overrides: Partial<StepRecord> = {}): StepRecord => ({
  id,
  title,
  status: 'NotStarted',
  ...overrides,
});

describe('estimates', () => {
  it('are omitted with no history and no progress rate', () => {
    assert.equal(estimateOperation(running(), EMPTY_BASIS, NOW)?.remainingMs, undefined);
    assert.equal(estimateOperation(running({ status: 'Succeeded' }), EMPTY_BASIS, NOW), undefined);
    assert.equal(
      estimateOperation(running({ status: 'Canceling' }), basisOf(60 * S), NOW),
      undefined,
    );
  });

  it('take the median of the history minus the time run so far', () => {
    const basis = estimateBasis([{ path: [], durationsMs: [30 * S, 40 * S, 900 * S] }]);
    assert.equal(basis.operation?.medianMs, 40 * S, 'the median ignores one outlier');
    assert.equal(estimateOperation(running(), basis, NOW)?.remainingMs, 30 * S);
    const queued = running({ status: 'NotStarted', startedAt: undefined });
    assert.equal(estimateOperation(queued, basis, NOW)?.remainingMs, 40 * S);
  });

  it('follow the progress rate alone without history', () => {
    // 25 % in 10 s: 30 s to go.
    const estimate = estimateOperation(running({ percentComplete: 25 }), EMPTY_BASIS, NOW);
    assert.equal(estimate?.remainingMs, 30 * S);
  });

  it('blend history and rate by the fraction done', () => {
    // History: 40 s typical, 10 s run, so 30 s. Rate at 50 % after 10 s: 10 s. Blend: 0.5*10 + 0.5*30.
    const estimate = estimateOperation(running({ percentComplete: 50 }), basisOf(40 * S), NOW);
    assert.equal(estimate?.remainingMs, 20 * S);
  });

  it('drop the history once a run is past its typical duration, keeping the rate', () => {
    const late = running({ startedAt: NOW - 60 * S });
    assert.equal(estimateOperation(late, basisOf(40 * S), NOW)?.remainingMs, undefined);
    const lateWithRate = running({ startedAt: NOW - 60 * S, percentComplete: 75 });
    assert.equal(estimateOperation(lateWithRate, basisOf(40 * S), NOW)?.remainingMs, 20 * S);
  });

  it('add up the steps still to run, after the running one, and estimate each step', () => {
    const steps = [
      step('1', 'Fetch', { status: 'Succeeded', startTime: NOW - 10 * S, endTime: NOW - 6 * S }),
      step('2', 'Transform', {
        status: 'Running',
        startTime: NOW - 6 * S,
        steps: [
          step('2.1', 'Parse', {
            status: 'Succeeded',
            startTime: NOW - 6 * S,
            endTime: NOW - 4 * S,
          }),
          step('2.2', 'Map', { status: 'Running', startTime: NOW - 4 * S }),
        ],
      }),
      step('3', 'Load', { steps: [step('3.1', 'Write'), step('3.2', 'Index')] }),
    ];
    const basis = basisOf(undefined, [
      [['Transform', 'Map'], 5 * S],
      [['Load'], 8 * S],
      [['Load', 'Write'], 6 * S],
      [['Load', 'Index'], 2 * S],
    ]);
    const estimate = estimateOperation(running({ steps }), basis, NOW)!;
    // Map: 5 s typical, 4 s run: 1 s left; Transform has no history of its own: it ends with Map.
    assert.equal(estimate.steps.get('2.2'), 1 * S);
    assert.equal(estimate.steps.get('2'), 1 * S);
    // Load starts after Transform and takes its own median, 8 s; its children run one after another.
    assert.equal(estimate.steps.get('3'), 9 * S);
    assert.equal(estimate.steps.get('3.1'), 7 * S);
    assert.equal(estimate.steps.get('3.2'), 9 * S);
    assert.equal(estimate.steps.has('1'), false, 'finished steps have no estimate');
    assert.equal(estimate.remainingMs, 9 * S);
  });

  it('refine a running step by its own progress rate', () => {
    const steps = [
      step('1', 'Copy', {
        status: 'Running',
        startTime: NOW - 10 * S,
        progress: { completed: 80, total: 100 },
      }),
    ];
    // History says 20 s (10 s left); 80 % done in 10 s says 2.5 s: 0.8 * 2.5 + 0.2 * 10 = 4 s.
    const estimate = estimateOperation(
      running({ steps }),
      basisOf(undefined, [[['Copy'], 20 * S]]),
      NOW,
    )!;
    assert.equal(Math.round(estimate.steps.get('1')!), 4 * S);
    assert.equal(Math.round(estimate.remainingMs!), 4 * S);
  });

  it('stop estimating a sequence at the first step with no history', () => {
    const steps = [step('1', 'Known'), step('2', 'Unknown'), step('3', 'Known too')];
    const basis = basisOf(undefined, [
      [['Known'], 3 * S],
      [['Known too'], 3 * S],
    ]);
    const estimate = estimateOperation(running({ status: 'NotStarted', steps }), basis, NOW)!;
    assert.equal(estimate.steps.get('1'), 3 * S);
    assert.equal(estimate.steps.has('2'), false);
    assert.equal(estimate.steps.has('3'), false);
    assert.equal(estimate.remainingMs, undefined);
  });
});

describe('Retry-After from the estimate', () => {
  it('is 1 s when the end is near, about a tenth of the rest when far, at most 30 s', () => {
    assert.equal(retryAfterForRemaining(0), 1);
    assert.equal(retryAfterForRemaining(800), 1);
    assert.equal(retryAfterForRemaining(25 * S), 3);
    assert.equal(retryAfterForRemaining(120 * S), 12);
    assert.equal(retryAfterForRemaining(3600 * S), 30);
  });

  it('goes by age without an estimate, and is always an integer >= 1', () => {
    const operation = { createdAt: NOW - 120 * S } as OperationRecord;
    assert.equal(retryAfterSeconds(operation, NOW), 5);
    assert.equal(retryAfterSeconds(operation, NOW, 40 * S), 4);
    for (const ms of [0, 1, 999, 10_001, 1e9]) {
      const value = retryAfterSeconds(operation, NOW, ms);
      assert.ok(Number.isInteger(value) && value >= 1, `${value} for ${ms} ms`);
    }
  });
});

describe('duration arithmetic', () => {
  it('buckets durations about 5 % wide and reads percentiles within 2.5 %', () => {
    for (const ms of [1, 7, 40, 999, 2_000, 61_000, 3_600_000]) {
      const value = bucketValueMs(durationBucket(ms));
      assert.ok(Math.abs(value - ms) / ms <= 0.026, `${ms} ms reads back as ${value}`);
    }
    assert.equal(durationBucket(0), 0);
    const histogram = new Map<number, number>();
    const durations = Array.from({ length: 100 }, (_, index) => (index + 1) * 100);
    for (const ms of durations) {
      const bucket = durationBucket(ms);
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
    }
    const p50 = histogramPercentile(histogram, 0.5)!;
    const p95 = histogramPercentile(histogram, 0.95)!;
    assert.ok(Math.abs(p50 - 5_000) / 5_000 <= 0.026, `p50 ${p50}`);
    assert.ok(Math.abs(p95 - 9_500) / 9_500 <= 0.026, `p95 ${p95}`);
    assert.equal(histogramPercentile(new Map(), 0.5), undefined);
    assert.equal(median([3, 1, 2, 10]), 2.5);
  });

  it('counts every outcome but keeps only successes for estimates', () => {
    const base = { tenant: 't', kind: 'k', path: [], durationMs: 1000, endedAt: NOW };
    const { increments, history } = durationWrites([
      { ...base, status: 'Succeeded' },
      { ...base, status: 'Succeeded' },
      { ...base, status: 'Failed' },
      { ...base, status: 'Canceled', path: ['Step'] },
    ]);
    assert.deepEqual(
      increments.map((row) => [row.path, row.status, row.count]),
      [
        ['["Step"]', 'Canceled', 1],
        ['[]', 'Failed', 1],
        ['[]', 'Succeeded', 2],
      ],
    );
    assert.equal(history.length, 2);
  });

  it('writes only the newest history a path keeps, and still counts every run', () => {
    const base = { tenant: 't', kind: 'k', status: 'Succeeded' as const, endedAt: NOW };
    const samples = [
      ...Array.from({ length: 250 }, (_, index) => ({ ...base, path: [], durationMs: index })),
      ...Array.from({ length: 5 }, (_, index) => ({ ...base, path: ['Step'], durationMs: index })),
    ];
    const { increments, history } = durationWrites(samples);
    assert.equal(
      increments.reduce((sum, row) => sum + row.count, 0),
      255,
    );
    const ofPath = (path: string) => history.filter((entry) => entry.path === path);
    assert.deepEqual(
      ofPath('[]').map((entry) => entry.durationMs),
      Array.from({ length: 100 }, (_, index) => 150 + index),
      'the last 100 of the batch, oldest first',
    );
    assert.equal(ofPath('["Step"]').length, 5);
  });
});
