import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etagMatches, operationEtag } from '../../src/protocol/etag.js';

describe('operation ETags', () => {
  const id = '01a2033b3233DgQRD7Sdiy-qkSWhryD4-Q';

  it('change with every revision and differ across operations', () => {
    assert.notEqual(operationEtag(id, 1), operationEtag(id, 2));
    assert.notEqual(operationEtag(id, 1), operationEtag('01a2033b3233zzzzzzzzzzzzzzzzzzzzzz', 1));
    assert.match(operationEtag(id, 7), /^"[^"]+"$/);
  });

  it('match If-None-Match lists, weak forms and *', () => {
    const etag = operationEtag(id, 3);
    assert.equal(etagMatches(`"other", ${etag}`, etag), true);
    assert.equal(etagMatches(`W/${etag}`, etag), true);
    assert.equal(etagMatches('*', etag), true);
    assert.equal(etagMatches(operationEtag(id, 2), etag), false);
    assert.equal(etagMatches(null, etag), false);
  });
});
