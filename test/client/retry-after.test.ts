import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, nextDelay, parseRetryAfter } from '../../src/client/retry-after.js';

describe('Retry-After and backoff', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta-seconds and HTTP-dates, and nothing else', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 12:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Saturday, 01-Mar-25 12:00:07 GMT', now), 7000, 'RFC 850 form');
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now), 0, 'a past date: now');
    assert.equal(parseRetryAfter('2025', now), 2_025_000, 'digits are always delta-seconds');
    for (const bad of [null, undefined, '', '-1', '1.5', 'soon', '12:00']) {
      assert.equal(parseRetryAfter(bad, now), undefined, `"${bad}"`);
    }
  });

  it('backs off exponentially up to the cap', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    const first = backoffDelay(0, backoff);
    assert.ok(first >= 90 && first <= 110, `${first}`);
    const third = backoffDelay(2, backoff);
    assert.ok(third >= 200 && third <= 250, `${third}`);
    assert.equal(backoffDelay(50, backoff), 1000);
  });

  it('prefers a positive Retry-After, caps it, and falls back on the backoff for 0', () => {
    const backoff = { initialMs: 100, maxMs: 5000 };
    assert.equal(nextDelay('2', 9, backoff), 2000);
    assert.equal(nextDelay('3600', 0, backoff), 5000);
    assert.ok(nextDelay('0', 0, backoff) <= 110);
  });
});
