import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { empty, json, plainResponseParts, problem } from '../../src/http/respond.js';

// json()/empty()/problem() return a light Response that the node adapter writes directly;
// these tests pin down that it still behaves as a Response everywhere else.
describe('respond: light responses', () => {
  it('are Responses with a readable status, headers and body', async () => {
    const response = json({ a: 1 }, 201, { etag: '"e"' });
    assert.ok(response instanceof Response);
    assert.equal(response.status, 201);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('etag'), '"e"');
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), { a: 1 });
    assert.equal(response.bodyUsed, true);
  });

  it('expose their parts until something beyond status is read', () => {
    const response = json({ a: 1 }, 200, { etag: '"e"' });
    void response.status;
    assert.deepEqual(plainResponseParts(response), {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', etag: '"e"' },
      body: '{"a":1}',
    });
    response.headers.set('x-late', '1'); // now the real Response is the truth
    assert.equal(plainResponseParts(response), undefined);
  });

  it('are not confused with real Responses', () => {
    assert.equal(plainResponseParts(new Response('x')), undefined);
  });

  it('keep the empty and problem shapes', async () => {
    const notModified = empty(304, { etag: '"e"' });
    assert.equal(notModified.body, null);
    const failed = problem(404, { code: 'NotFound', message: 'No such operation.' });
    assert.equal(failed.headers.get('content-type'), 'application/problem+json');
    assert.equal(failed.headers.get('x-ms-error-code'), 'NotFound');
    assert.equal(((await failed.json()) as { status: number }).status, 404);
    const onlyJson = problem(
      404,
      { code: 'NotFound', message: 'x' },
      { accept: 'application/json' },
    );
    assert.match(onlyJson.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('refuse what new Response() refuses, at once', () => {
    assert.throws(() => json({}, 99), RangeError);
    assert.throws(() => empty(600), RangeError);
    assert.throws(() => json({}, 204), TypeError);
  });

  it('clone into independent real Responses', async () => {
    const response = json({ a: 1 });
    const copy = response.clone();
    assert.deepEqual(await copy.json(), { a: 1 });
    assert.deepEqual(await response.json(), { a: 1 });
  });
});
