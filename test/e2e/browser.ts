// Launches Debian's Chromium (tools that download their own browser cannot work offline) and
// opens the analyzer the way a reader does.
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export function siteUrl(path: string): string {
  return `${inject('baseUrl')}${path}`;
}

/** Opens /analyze/ and waits until the engine's worker has loaded (the page is then offline-ready). */
export async function openAnalyzer(browser: Browser, query = ''): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(siteUrl(`/analyze/${query}`));
  await page.locator('[data-analyzer][data-ready]').waitFor({ state: 'attached', timeout: 20_000 });
  return page;
}

/** Pastes debugger text, runs it and waits for the report heading. */
export async function analyzePasted(page: Page, text: string): Promise<void> {
  await page.fill('#paste', text);
  await page.click('button[data-run]');
  await page.locator('.report h2#r-top').waitFor({ timeout: 20_000 });
}
