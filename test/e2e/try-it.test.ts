// "Try it" on a pattern page opens the analyzer on the page's example, fetched from this site.
import { expect, it } from 'vitest';
import { siteUrl, useBrowser } from './browser.ts';

const browser = useBrowser();

it('runs the Virtualized Process example from its pattern page', async () => {
  const page = await browser().newPage();
  await page.goto(siteUrl('/patterns/virtualized-process/'));
  await page.getByRole('link', { name: 'Try it on the example' }).first().click();
  await page.waitForURL(/\/analyze\/\?example=/);
  const finding = page.locator('.finding[data-pattern="virtualized-process"]');
  await finding.waitFor({ timeout: 20_000 });
  expect(await page.locator('#r-top').textContent()).toBe('Results for virtualized-process-seed.txt');
  expect(await finding.locator('.confidence').textContent()).toBe('certain');
  expect(await page.locator('[data-status]').textContent()).toContain('the example from its pattern page');
  await page.close();
});

it('shows an error, not a blank page, for an example the site does not have', async () => {
  const page = await browser().newPage();
  await page.goto(siteUrl('/analyze/?example=windbg%2Fno-such-example.txt'));
  const panel = page.locator('.error-panel[role="alert"]');
  await panel.waitFor({ timeout: 20_000 });
  expect(await panel.textContent()).toContain('the example could not be loaded: the site answered 404');
  await page.close();
});

it('ignores an example path that tries to leave /examples/', async () => {
  const page = await browser().newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(siteUrl('/analyze/?example=..%2F..%2Fpatterns%2Fvirtualized-process%2F'));
  await page.locator('[data-analyzer][data-ready]').waitFor({ state: 'attached', timeout: 20_000 });
  expect(requests.filter((p) => p.includes('examples') || p.startsWith('/patterns'))).toEqual([]);
  expect(await page.locator('.error-panel, .report').count()).toBe(0);
  await page.close();
});
