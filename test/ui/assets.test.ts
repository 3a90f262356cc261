import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLongrun } from '../../src/longrun.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

// The UI and CORS over the Fetch handler alone: no browser needed.
function app(options: { ui?: boolean; apiKeys?: Record<string, string> } = {}) {
  return createLongrun({ store: new SqliteStore(':memory:'), worker: false, ...options });
}

const get = (handler: (r: Request) => Promise<Response>, path: string, headers = {}) =>
  handler(new Request(`http://api.test${path}`, { headers }));

describe('dashboard assets and CORS', () => {
  it('serves the page with a strict CSP, hashed assets immutable, the widget at a stable URL', async () => {
    const { handler } = app({ ui: true, apiKeys: { k: 't' } });
    const page = await get(handler, '/ui/');
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|https?:/);
    const html = await page.text();
    const script = /src="(\/ui\/dashboard\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the page loads a hashed script');
    assert.doesNotMatch(
      html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, ''),
      /<script>/,
    );
    const hashed = await get(handler, script);
    assert.equal(hashed.status, 200);
    assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(hashed.headers.get('content-type') ?? '', /^text\/javascript/);
    const widget = await get(handler, '/ui/longrun-progress.js');
    assert.equal(widget.status, 200);
    assert.match(widget.headers.get('cache-control') ?? '', /must-revalidate/);
    const etag = widget.headers.get('etag')!;
    assert.equal(
      (await get(handler, '/ui/longrun-progress.js', { 'if-none-match': etag })).status,
      304,
    );
    assert.equal((await get(handler, '/ui/nothing.js')).status, 401);
    assert.equal((await get(handler, '/ui')).headers.get('location'), '/ui/');
  });

  it('serves no dashboard unless asked', async () => {
    const { handler } = app();
    assert.equal((await get(handler, '/ui/')).status, 404);
    assert.equal((await get(handler, '/ui/longrun-progress.js')).status, 404);
  });

  it('answers preflights and exposes the protocol headers to other origins', async () => {
    const longrun = app({ apiKeys: { k: 't' } });
    await longrun.store.migrate();
    const { handler } = longrun;
    const preflight = await handler(
      new Request('http://api.test/operations/x/events', {
        method: 'OPTIONS',
        headers: {
          origin: 'http://site.test',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization, last-event-id',
        },
      }),
    );
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(
      preflight.headers.get('access-control-allow-headers'),
      'authorization, last-event-id',
    );
    const list = await get(handler, '/operations', {
      origin: 'http://site.test',
      authorization: 'Bearer k',
    });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('access-control-allow-origin'), '*');
    const exposed = list.headers.get('access-control-expose-headers') ?? '';
    for (const name of [
      'Location',
      'Operation-Location',
      'Content-Location',
      'Retry-After',
      'ETag',
      'Preference-Applied',
      'AsyncResult',
    ]) {
      assert.ok(exposed.split(', ').includes(name), name);
    }
    // Errors are readable too; no Origin, no CORS headers.
    const denied = await get(handler, '/operations', { origin: 'http://site.test' });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('access-control-allow-origin'), '*');
    assert.equal(
      (await get(handler, '/operations', { authorization: 'Bearer k' })).headers.has(
        'access-control-allow-origin',
      ),
      false,
    );
  });
});
