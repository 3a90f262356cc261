import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrefer } from '../../src/protocol/prefer.js';

describe('parsePrefer', () => {
  it('reads respond-async and wait from one header, in any case and order', () => {
    assert.deepEqual(parsePrefer('wait=10, Respond-Async', 60), { respondAsync: true, wait: 10 });
  });

  it('caps wait at the server maximum', () => {
    assert.equal(parsePrefer('wait=3600', 60).wait, 60);
  });

  it('ignores malformed and unknown preferences, as RFC 7240 asks', () => {
    assert.deepEqual(parsePrefer('wait=soon, return=minimal, handling=lenient', 60), {
      respondAsync: false,
      wait: undefined,
    });
    assert.deepEqual(parsePrefer(null, 60), { respondAsync: false, wait: undefined });
  });

  it('accepts parameters after a preference and quoted values', () => {
    assert.equal(parsePrefer('wait="5"; foo=bar', 60).wait, 5);
  });
});
