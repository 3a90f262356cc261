import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  KEY_A,
  KEY_B,
  openPage,
  screenshot,
  skipReason,
  startHarness,
  startOperation,
  type UiHarness,
} from './ui-harness.js';

const skip = skipReason();
if (skip) console.log(skip);

/** Polls `read` until `accept` holds, recording every distinct value seen on the way. */
async function watchValues(
  read: () => Promise<string | null>,
  accept: (value: string | null) => boolean,
  timeoutMs = 30_000,
): Promise<(string | null)[]> {
  const seen: (string | null)[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => null);
    if (seen.at(-1) !== value) seen.push(value);
    if (accept(value)) return seen;
    if (Date.now() > deadline) throw new Error(`Timed out; saw ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const widgetStatus = (page: Page) => page.locator('longrun-progress .head .badge');

describe('dashboard and <longrun-progress> in headless chromium', {
  skip: skip !== undefined,
}, () => {
  let harness: UiHarness;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  test('a lifecycle project started from the dashboard home goes step by step to its result', async () => {
    const { page, context, errors } = await openPage(harness, KEY_A);
    await page.goto(`${harness.url}/ui/`);
    await page.getByRole('heading', { name: 'Start an operation' }).waitFor();
    const form = page.locator('form.start', { hasText: 'POST /lifecycle-projects' });
    await form.locator('textarea').fill('{"name": "Apollo", "stepMs": 2500}');
    await screenshot(page, 'home');
    await form.getByRole('button', { name: 'Start lifecycle-project.create' }).click();
    await page.waitForURL(/\/ui\/operations\/[^/]+$/);

    const last = page.locator('longrun-progress ol.steps > li').last();
    const seen = await watchValues(
      () => last.getAttribute('data-status', { timeout: 1000 }),
      (value) => value === 'Succeeded',
    );
    const ordered = seen.filter((value) => value !== null);
    assert.deepEqual(ordered, ['NotStarted', 'Running', 'Succeeded']);
    await widgetStatus(page).filter({ hasText: 'Succeeded' }).waitFor();
    const result = page.getByRole('link', { name: 'View result' });
    await result.waitFor();
    assert.match((await result.getAttribute('href')) ?? '', /\/operations\/[^/]+\/result$/);
    assert.equal(
      (await page.locator('longrun-progress li[data-status="Succeeded"]').count()) > 10,
      true,
    );

    // Progress is announced: a progressbar with a value and a polite live region.
    const aria = await page.locator('longrun-progress').ariaSnapshot();
    assert.match(aria, /progressbar "Operation progress"/);
    assert.match(aria, /status/);
    assert.equal(
      await page
        .locator('longrun-progress [role="progressbar"]')
        .first()
        .getAttribute('aria-valuenow'),
      '100',
    );
    assert.equal(await page.locator('longrun-progress [aria-live="polite"]').count(), 1);
    await screenshot(page, 'lifecycle-succeeded');

    await page.getByRole('button', { name: 'Show raw JSON' }).click();
    await page.locator('#raw-json').filter({ hasText: '"status": "Succeeded"' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('keyboard only: start from home, then cancel a running operation from its page', async () => {
    const { page, context, errors } = await openPage(harness, KEY_A);
    await page.goto(`${harness.url}/ui/`);
    const form = page.locator('form.start', { hasText: 'POST /lifecycle-projects' });
    await form.locator('textarea').fill('{"name": "Slow", "stepMs": 8000}');
    // Tab until the start button has the focus, then press Enter.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(
        () => document.activeElement?.textContent === 'Start lifecycle-project.create',
      );
    }
    assert.ok(reached, 'the start button is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ui\/operations\/[^/]+$/);
    await widgetStatus(page).filter({ hasText: 'Running' }).waitFor();
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      for (const type of ['longrun-done', 'longrun-failed', 'longrun-canceled']) {
        document.addEventListener(type, () => seen.push(type));
      }
    });
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await cancel.evaluate((button) => button.matches(':focus'));
    }
    assert.ok(reached, 'the cancel button is reachable with Tab');
    await screenshot(page, 'cancel-running');
    await page.keyboard.press('Enter');
    await widgetStatus(page).filter({ hasText: 'Canceled' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('button', { name: 'Cancel' }).isVisible(), false);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { seen: string[] }).seen), [
      'longrun-canceled',
    ]);
    await screenshot(page, 'canceled');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a failed VM deployment shows its error', async () => {
    const { page, context, errors } = await openPage(harness, KEY_A);
    await page.goto(`${harness.url}/ui/`);
    const form = page.locator('form.start', { hasText: 'POST /vm-deployments' });
    await form.locator('textarea').fill('{"image": "debian-12", "failAt": "Booting"}');
    await form.getByRole('button', { name: 'Start vm.deploy' }).click();
    await page.waitForURL(/\/ui\/operations\/[^/]+$/);
    await widgetStatus(page).filter({ hasText: 'Failed' }).waitFor();
    const alert = page.locator('longrun-progress [role="alert"]');
    await alert.filter({ hasText: 'DeploymentFailed' }).waitFor();
    assert.match((await alert.textContent()) ?? '', /Step "Booting" failed/);
    await screenshot(page, 'vm-failed');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a second tenant's dashboard does not list the first tenant's operations", async () => {
    const mine = await startOperation(harness, '/reports', { items: 3, itemMs: 10 }, KEY_A);
    const a = await openPage(harness, KEY_A);
    await a.page.goto(`${harness.url}/ui/`);
    await a.page.locator(`tr[data-id="${mine}"]`).waitFor();
    // The list follows the tenant's event feed: a new operation shows up without a reload.
    const later = await startOperation(harness, '/reports', { items: 2, itemMs: 10 }, KEY_A);
    await a.page.locator(`tr[data-id="${later}"]`).waitFor({ timeout: 10_000 });
    const b = await openPage(harness, KEY_B);
    await b.page.goto(`${harness.url}/ui/`);
    await b.page.locator('.list-info').filter({ hasText: 'No operations.' }).waitFor();
    assert.equal(await b.page.locator('tbody tr').count(), 0);
    // Not by id either.
    await b.page.locator('#filter-id').fill(mine);
    await b.page.getByRole('button', { name: 'Filter' }).click();
    await b.page.locator('.list-info').filter({ hasText: 'No operations.' }).waitFor();
    await screenshot(b.page, 'tenant-b-list');
    assert.deepEqual([...a.errors], []);
    await a.context.close();
    await b.context.close();
  });

  test('without a key the dashboard asks for one; the key form works from the keyboard', async () => {
    const { page, context, errors } = await openPage(harness);
    await page.goto(`${harness.url}/ui/`);
    await page.getByText('This server needs an API key').waitFor();
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'api-key');
    }
    assert.ok(reached, 'the API key field is reachable with Tab');
    await page.keyboard.type(KEY_B);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Start an operation' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the stats page draws charts', async () => {
    const { page, context, errors } = await openPage(harness, KEY_A);
    await page.goto(`${harness.url}/ui/stats`);
    await page.locator('svg.chart').first().waitFor();
    assert.ok((await page.locator('svg.chart rect').count()) > 0);
    await page.getByRole('img', { name: /Operations finished per 1h over the last 24h/ }).waitFor();
    await page.getByRole('img', { name: 'Step durations of lifecycle-project.create' }).waitFor();
    await screenshot(page, 'stats');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
