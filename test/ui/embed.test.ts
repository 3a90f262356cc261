import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  KEY_A,
  openPage,
  screenshot,
  skipReason,
  startHarness,
  startOperation,
  type UiHarness,
} from './ui-harness.js';

// dashboard.test.ts prints the one line saying why these are skipped.
const skip = skipReason();

let harness: UiHarness;
let site: Server;
let siteUrl: string;

before(async () => {
  if (skip) return;
  harness = await startHarness();
  // Another origin: a plain static page with one script tag and the element.
  site = createServer((request, response) => {
    const id = new URL(request.url ?? '/', 'http://x').searchParams.get('id') ?? '';
    response.writeHead(request.url?.startsWith('/embed') ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
    });
    response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Embedded progress</title><link rel="icon" href="data:,"></head>
<body>
<h1>Your report</h1>
<script type="module" src="${harness.url}/ui/longrun-progress.js"></script>
<longrun-progress src="${harness.url}/operations/${id}" token="${KEY_A}"></longrun-progress>
<script>
  window.longrunEvents = [];
  document.addEventListener('longrun-done', (e) => window.longrunEvents.push(e.type + ':' + e.detail.status));
</script>
</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

after(async () => {
  if (skip) return;
  await new Promise((resolve) => site.close(resolve));
  await harness.close();
});

test('the widget works in a plain page on another origin (CORS)', {
  skip: skip !== undefined,
}, async () => {
  assert.notEqual(new URL(siteUrl).origin, new URL(harness.url).origin);
  const id = await startOperation(harness, '/reports', { items: 20, itemMs: 1000 }, KEY_A);
  const { page, context, errors } = await openPage(harness);
  await page.goto(`${siteUrl}/embed?id=${id}`);
  await page.locator('longrun-progress .head .badge').filter({ hasText: 'Running' }).waitFor();
  await page
    .locator('longrun-progress .count')
    .filter({ hasText: /\d+\/20/ })
    .waitFor();
  await screenshot(page, 'embedded-running');
  await page.locator('longrun-progress .head .badge').filter({ hasText: 'Succeeded' }).waitFor();
  await page.getByRole('link', { name: 'View result' }).waitFor();
  assert.deepEqual(
    await page.evaluate(() => (window as unknown as { longrunEvents: string[] }).longrunEvents),
    ['longrun-done:Succeeded'],
  );
  const aria = await page.locator('longrun-progress').ariaSnapshot();
  assert.match(aria, /progressbar "Operation progress"/);
  await screenshot(page, 'embedded-succeeded');
  assert.deepEqual(errors, []);
  await context.close();
});
