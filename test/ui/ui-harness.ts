// Shared setup of the browser tests: a real longrun server (SQLite file, the demo at speed 10, the
// dashboard on, two API keys) and headless Debian chromium driven by playwright-core.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type NodeServer, serveNode } from '../../src/adapters/node.js';
import { createDemo } from '../../src/demo/index.js';
import { createLongrun, type Longrun } from '../../src/longrun.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join('test-artifacts', 'ui');
export const KEY_A = 'ui-test-key-tenant-a';
export const KEY_B = 'ui-test-key-tenant-b';

/** Why the suite cannot run here, or undefined. */
export function skipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `UI tests: skipped (${CHROMIUM} is missing).`;
}

export interface UiHarness {
  url: string;
  browser: Browser;
  longrun: Longrun;
  close(): Promise<void>;
}

export async function startHarness(): Promise<UiHarness> {
  const { chromium } = await import('playwright-core');
  await mkdir(ARTIFACTS, { recursive: true });
  const dir: TempDir = await createTempDir('longrun-ui-');
  const longrun = createLongrun({
    store: new SqliteStore(dir.file('ui.db')),
    ...createDemo({ speed: 10 }),
    ui: true,
    apiKeys: { [KEY_A]: 'tenant-a', [KEY_B]: 'tenant-b' },
  });
  await longrun.start();
  const server: NodeServer = await serveNode(longrun.handler, { port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    url: server.url,
    browser,
    longrun,
    async close() {
      await browser.close();
      await server.close();
      await longrun.stop(1000);
      await dir.remove();
    },
  };
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/** A fresh browser context whose dashboard tabs already hold `key` (as the key form stores it). */
export async function openPage(harness: UiHarness, key?: string): Promise<TestPage> {
  const context = await harness.browser.newContext({ viewport: { width: 1100, height: 900 } });
  if (key) {
    await context.addInitScript((value) => {
      sessionStorage.setItem('longrun.apiKey', value);
    }, key);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, context, errors };
}

export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({
    path: join(ARTIFACTS, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
}

/** Starts a demo operation over HTTP as tenant `key`; resolves with its id. */
export async function startOperation(
  harness: UiHarness,
  path: string,
  body: unknown,
  key: string,
): Promise<string> {
  const response = await fetch(harness.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { id: string };
  if (response.status !== 202) throw new Error(`start ${path}: ${response.status}`);
  return answer.id;
}
