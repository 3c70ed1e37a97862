// The report as a reader scrolls and reads it: parts drawn lazily keep the size they will have,
// tables stay readable on a phone, and labels name things the way the rest of the report does.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { analyzePasted, openAnalyzer, useBrowser } from './browser.ts';

const browser = useBrowser();
const WITH_SYMBOLS = ['fixtures/symbols/inline-crash.dmp', 'fixtures/symbols/inline-crash.exe', 'fixtures/symbols/inline-crash.pdb'];

it('gives a short stack below the fold its own height before it comes into view, so nothing jumps', async () => {
  const page = await openAnalyzer(browser());
  await page.setViewportSize({ width: 1280, height: 900 });
  // Three frames, the stack well below the first screen of the report.
  await page.setInputFiles('input[type="file"]', 'fixtures/corpus/breakpad/linux_null_dereference.dmp');
  await page.locator('.report h2#r-top').waitFor({ timeout: 20_000 });
  await page.evaluate(() => scrollTo(0, 0));
  const stack = page.locator('.faulting-stack pre.stack');
  const heightOf = (): Promise<number> => stack.evaluate((e) => e.getBoundingClientRect().height);
  expect(await stack.evaluate((e) => e.getBoundingClientRect().top)).toBeGreaterThan(900);
  const unseen = await heightOf();
  await stack.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const seen = await heightOf();
  expect(seen).toBeLessThan(300);
  expect(Math.abs(unseen - seen)).toBeLessThan(60);
  await page.close();
});

it('keeps room for the module paths on a phone-sized screen', async () => {
  const page = await openAnalyzer(browser());
  await page.setViewportSize({ width: 380, height: 800 });
  await page.setInputFiles('input[type="file"]', WITH_SYMBOLS);
  await page.locator('.report h2#r-top').waitFor({ timeout: 20_000 });
  const table = page.locator('table.modules').first();
  await table.waitFor();
  // C:\windows\system32\ntdll.dll and the like: a few lines at most, not a letter column.
  const cells = await table.locator('td.path').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect()));
  expect(cells.length).toBeGreaterThan(5);
  for (const c of cells) {
    expect(c.width).toBeGreaterThan(150);
    expect(c.height).toBeLessThan(100);
  }
  // The page itself still does not scroll sideways: the table scrolls in its own box.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
  await page.close();
});

it('labels the module list by what it holds, loaded and unloaded, whether it opens at once or not', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', 'fixtures/synth/unloaded-module-unload-list.dmp');
  await page.locator('.report h2#r-top').waitFor({ timeout: 20_000 });
  const details = page.locator('.modules-details');
  // Eight modules are shown open: a "Show 8 modules" label would say the opposite of its click.
  expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  expect(await details.locator('summary').textContent()).toBe('8 loaded modules, 1 unloaded');
  expect(await details.locator('table.modules caption').allTextContents()).toEqual(['Loaded modules', 'Unloaded modules']);
  await page.close();
});

it('names a thread in the evidence the way the summaries do', async () => {
  const page = await openAnalyzer(browser());
  await page.setInputFiles('input[type="file"]', ['fixtures/symbols/class-crash.dmp', 'fixtures/symbols/class-crash.exe', 'fixtures/symbols/class-crash.pdb']);
  await page.locator('.report h2#r-top').waitFor({ timeout: 20_000 });
  // Execution Residue points at the whole thread, not at frames of it.
  const evidence = await page.locator('.finding[data-pattern="execution-residue"] .evidence-list li').allTextContents();
  expect(evidence).toContain('thread ~0 (id 0x24): the thread whose stack holds the residue');
  await page.close();
});

it('leads a pasted hang with a stack the findings point at, not thread 0 that printed none', async () => {
  const page = await openAnalyzer(browser());
  await analyzePasted(page, readFileSync('fixtures/windbg/real/03-msdocs-deadlock-ftpsvc2-x86.txt', 'utf8'));
  expect(await page.locator('#r-stack').textContent()).toBe('Thread ~4 (id 0xa3)');
  expect(await page.locator('.faulting-stack pre.stack .frame').first().textContent()).toContain('ntdll!NtWaitForSingleObject+0xb');
  await page.close();
});
