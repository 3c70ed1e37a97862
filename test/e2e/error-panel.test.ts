// Whatever goes wrong, the reader gets an error panel (role=alert) with one line saying what
// happened, and the page stays usable: never a blank or frozen tab.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { analyzePasted, openAnalyzer, useBrowser } from './browser.ts';

const browser = useBrowser();

async function panelFor(page: Page): Promise<{ kind: string | null; text: string }> {
  const panel = page.locator('.error-panel[role="alert"]');
  await panel.waitFor({ timeout: 20_000 });
  return { kind: await panel.getAttribute('data-kind'), text: (await panel.textContent()) ?? '' };
}

it('says a PNG is a PNG', async () => {
  const page = await openAnalyzer(browser());
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  await page.setInputFiles('input[type="file"]', { name: 'crash.dmp', mimeType: 'application/octet-stream', buffer: png });
  const { kind, text } = await panelFor(page);
  expect(kind).toBe('not-a-dump');
  expect(text).toContain('crash.dmp: this is a PNG image, not a dump');
  await page.close();
});

it('says random bytes are neither a dump nor text, and the page still works after', async () => {
  const page = await openAnalyzer(browser());
  let seed = 7;
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) noise[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  noise[0] = 0x01; // no magic of any known format
  await page.setInputFiles('input[type="file"]', { name: 'noise.bin', mimeType: 'application/octet-stream', buffer: noise });
  const { kind, text } = await panelFor(page);
  expect(kind).toBe('not-a-dump');
  expect(text).toContain('noise.bin: this file is neither a minidump (no MDMP signature) nor readable text');
  // Recovery: the next input is analysed normally.
  await analyzePasted(page, '(1a2c.1b30): Access violation - code c0000005 (first chance)\n');
  expect(await page.locator('section[aria-labelledby="r-ex"]').textContent()).toContain('0xc0000005');
  await page.close();
});

it('asks for the dump when only program images are given', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', 'fixtures/dumps/null-pointer-data-read.exe');
  const { text } = await panelFor(page);
  expect(text).toContain('these are program images (.exe/.dll); add the dump (.dmp)');
  await page.close();
});

it('says what to do with empty pasted text instead of running', async () => {
  const page = await openAnalyzer(browser());
  await page.click('button[data-run]');
  expect(await page.locator('[data-status]').textContent()).toBe('Paste debugger output or choose a file first.');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('paste');
  await page.close();
});

it('cancels a long analysis at once and shows that it did', async () => {
  const page = await openAnalyzer(browser());
  // ~40 MB of stack lines keeps the engine busy long enough to press Cancel.
  const line = '00000000`0016e190 00000000`6b0064f2 wow64!Wow64NotifyDebugger+0x9\n';
  const big = join(mkdtempSync(join(tmpdir(), 'dumpatlas-e2e-')), 'huge.log');
  writeFileSync(big, line.repeat(Math.ceil((40 * 1024 * 1024) / line.length)));
  await page.setInputFiles('input[type="file"]', big);
  const cancel = page.locator('button[data-cancel]');
  await cancel.waitFor({ state: 'visible', timeout: 10_000 });
  expect(await page.locator('progress[data-progress]').isVisible()).toBe(true);
  // From the keyboard: the button hides itself, and focus must not fall back to the page's top.
  await cancel.focus();
  await page.keyboard.press('Enter');
  const { kind, text } = await panelFor(page);
  expect(kind).toBe('cancelled');
  expect(text).toContain('Analysis cancelled');
  expect(await cancel.isVisible()).toBe(false);
  expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-panel');
  // A fresh worker takes the next input.
  await analyzePasted(page, '(1a2c.1b30): Access violation - code c0000005 (first chance)\n');
  expect(await page.locator('#r-top').textContent()).toBe('Results for pasted text');
  await page.close();
});
