// Screenshots of the analyzer for a person to look at (test-results/analyze-*.png): the
// results of the seed log in light and dark, and an error. The assertions only check that the
// pages they show are the ones meant.
import { mkdirSync, readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { analyzePasted, openAnalyzer, useBrowser } from './browser.ts';

const browser = useBrowser();
beforeAll(() => {
  mkdirSync('test-results', { recursive: true });
});

for (const scheme of ['light', 'dark'] as const) {
  it(`saves the results page for the seed log (${scheme})`, async () => {
    const page = await openAnalyzer(browser());
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await analyzePasted(page, readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));
    await page.locator('.faulting-stack .code[data-coloured]').first().waitFor({ timeout: 10_000 });
    await page.locator('details.thread').first().locator('summary').click();
    const path = `test-results/analyze-results-${scheme}.png`;
    const png = await page.screenshot({ path, fullPage: true });
    expect(png.byteLength).toBeGreaterThan(10_000);
    await page.close();
  });
}

it('saves the results on a phone-sized screen, which needs no sideways scrolling', async () => {
  const page = await openAnalyzer(browser());
  await page.setViewportSize({ width: 375, height: 800 });
  await analyzePasted(page, readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));
  await page.locator('details.thread').first().locator('summary').click();
  await page.locator('details.thread pre.stack').first().waitFor();
  // Wide stacks scroll inside their own box; the page itself stays phone-wide.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/analyze-results-narrow.png', fullPage: true });
  await page.close();
});

it('saves the error panel for a file that is not a dump', async () => {
  const page = await openAnalyzer(browser());
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.setInputFiles('input[type="file"]', { name: 'holiday.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
  await page.locator('.error-panel[role="alert"]').waitFor({ timeout: 10_000 });
  const png = await page.screenshot({ path: 'test-results/analyze-error.png', fullPage: true });
  expect(png.byteLength).toBeGreaterThan(5_000);
  await page.close();
});
