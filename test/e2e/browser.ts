// Launches Debian's Chromium (tools that download their own browser cannot work offline) and
// opens the analyzer the way a reader does.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * One Chromium for the whole test file: launched before its tests, closed after them. Returns
 * a getter because the browser only exists once the hook has run.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is launched in beforeAll; use it inside a test');
    return browser;
  };
}

/**
 * A file whose tests all read one report: the browser (as `useBrowser`) and an analyzer page
 * that has analysed the pasted `text` before the first test. Returns a getter for the page.
 */
export function useAnalyzedPaste(text: () => string): () => Page {
  const browser = useBrowser();
  let page: Page | undefined;
  beforeAll(async () => {
    page = await openAnalyzer(browser());
    await analyzePasted(page, text());
  });
  return () => {
    if (!page) throw new Error('the report page is opened in beforeAll; use it inside a test');
    return page;
  };
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
