// The analyzer works from the keyboard and tells assistive technology what happens: labelled
// controls, a drop zone that Enter/Space opens, a live status, focus on the results heading.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openAnalyzer, useBrowser } from './browser.ts';

const browser = useBrowser();

it('labels its controls and announces through a polite live region', async () => {
  const page = await openAnalyzer(browser());
  expect(await page.getByLabel(/paste WinDbg \/ CDB output/i).evaluate((e) => e.tagName)).toBe('TEXTAREA');
  const drop = page.getByRole('button', { name: 'Drop a dump here, or press to choose files', exact: true });
  expect(await drop.getAttribute('tabindex')).toBe('0');
  expect(await drop.getAttribute('aria-describedby')).toBe('drop-help');
  const status = page.locator('[data-status]');
  expect(await status.getAttribute('role')).toBe('status');
  expect(await status.getAttribute('aria-live')).toBe('polite');
  expect(await page.locator('progress[data-progress]').getAttribute('aria-label')).toBe('Analysis progress');
  await page.close();
});

for (const key of ['Enter', 'Space'] as const) {
  it(`opens the file picker from the drop zone with ${key}`, async () => {
    const page = await openAnalyzer(browser());
    const drop = page.getByRole('button', { name: 'Drop a dump here, or press to choose files' });
    // Listen first: the chooser is only caught once the listener is in place.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser', { timeout: 5_000 }),
      (async () => {
        await drop.focus();
        await page.keyboard.press(key);
      })(),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles('fixtures/windbg/virtualized-process-seed.txt');
    await page.locator('.finding[data-pattern="virtualized-process"]').waitFor({ timeout: 20_000 });
    await page.close();
  });
}

it('moves focus to the results heading when they arrive, and says so in the status', async () => {
  const page = await openAnalyzer(browser());
  await page.locator('#paste').fill(readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));
  await page.locator('#paste').press('Control+Enter');
  await page.locator('#r-top').waitFor({ timeout: 20_000 });
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('r-top');
  const fired = await page.locator('.finding').count();
  expect(fired).toBeGreaterThanOrEqual(1);
  expect(await page.locator('[data-status]').textContent()).toBe(`Analysed pasted text: ${fired} pattern${fired === 1 ? ' fires' : 's fire'}.`);
  expect(await page.locator('[data-analyzer]').getAttribute('aria-busy')).toBeNull();
  await page.close();
});
