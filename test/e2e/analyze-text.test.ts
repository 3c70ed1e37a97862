// A reader pastes the seed's WinDbg log into /analyze and sees Virtualized Process with the
// faulting thread's x86 stack.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it('shows Virtualized Process and the x86 stack for the pasted seed log', async () => {
  const page = await browser.newPage();
  await page.goto(`${inject('baseUrl')}/analyze/`);
  await page.fill('textarea', readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));
  await page.click('button[data-run]');
  const finding = page.locator('.finding[data-pattern="virtualized-process"]');
  await finding.waitFor({ timeout: 20_000 });
  expect(await finding.locator('.confidence').textContent()).toBe('certain');
  const x86 = page.locator('pre.stack[data-view="x86"]');
  const rows = await x86.locator('.frame').allTextContents();
  expect(rows[0]).toContain('kernel32!RaiseException+0x53');
  expect(rows.at(-1)).toContain('App+0x188f3');
  await page.click('button.view-toggle');
  expect(await page.locator('pre.stack[data-view="native"] .frame').first().textContent()).toContain('wow64!Wow64NotifyDebugger+0x9');
  await page.close();
});
