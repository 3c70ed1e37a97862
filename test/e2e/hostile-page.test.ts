// F5 of issue 15 on the page itself: once the worker has answered, the page must draw the
// report without blocking its main thread for more than 200 ms at a time and without building
// rows nobody can see. The inputs are the hostile shapes of test/synth/hostile/text-bombs.ts at
// a fraction of the probe's size (65,536 frames blocked it 17.7 s; 10^6 lm rows built 7 million
// elements; 2,000 threads); `scripts/hostile-page.ts` runs the full sizes and prints figures.
//
// Tasks are measured in thread time from Chromium's trace (page-work.ts), so a loaded machine
// does not lengthen them; the 200 ms bound is the issue's.
import { expect, it } from 'vitest';
import { BIDI_CONTROLS, bidiStringsDump } from '../synth/hostile/dump-strings.ts';
import { bigStack, dottedSymbolFrames, manyThreads, moduleRows } from '../synth/hostile/text-bombs.ts';
import { openAnalyzer, useBrowser } from './browser.ts';
import { clickIn, dropAndDraw, waitIn } from './page-work.ts';

const browser = useBrowser();
const MAX_TASK_MS = 200;

it('a stack of 8,192 frames is drawn a page at a time without a main-thread task over 200 ms (F5)', async () => {
  const page = await openAnalyzer(browser());
  const d = await dropAndDraw(browser(), page, { name: 'big-stack.txt', text: bigStack({ frames: 8192 }) }, {
    // "Show 1024 more" once: more rows, in slices too.
    after: async (p) => {
      await waitIn(p, '.faulting-stack button[data-action="more-frames"]:not([hidden])');
      await clickIn(p, '.faulting-stack button[data-action="more-frames"]');
    },
  });
  const rows = await page.locator('.faulting-stack pre.stack .frame').count();
  await page.close();
  expect(rows).toBe(256 + 1024);
  expect(d.longestTaskCpuMs, JSON.stringify(d)).toBeLessThanOrEqual(MAX_TASK_MS);
  expect(d.elements).toBeLessThan(20_000);
}, 180_000);

it('an lm of 100,000 rows builds no more than a few thousand elements until asked, then a page of rows (F5)', async () => {
  const page = await openAnalyzer(browser());
  const d = await dropAndDraw(browser(), page, { name: 'module-rows.txt', text: moduleRows({ rows: 100_000 }) });
  expect(d.elements).toBeLessThan(2_000);
  expect(d.longestTaskCpuMs, JSON.stringify(d)).toBeLessThanOrEqual(MAX_TASK_MS);
  await page.click('.modules-details summary');
  await page.locator('table.modules tbody tr').first().waitFor();
  expect(await page.locator('table.modules tbody tr').count()).toBe(100);
  await page.click('.modules-details button[data-page="last"]');
  expect(await page.locator('.modules-details .page-where').textContent()).toBe('Rows 99901–100000 of 100000 (page 1000 of 1000)');
  expect(await page.locator('table.modules tbody tr').first().textContent()).toContain('m99900');
  await page.close();
}, 180_000);

it('2,000 threads are listed in slices without a main-thread task over 200 ms (F5)', async () => {
  const page = await openAnalyzer(browser());
  const d = await dropAndDraw(browser(), page, { name: 'threads.txt', text: manyThreads({ threads: 2000 }) }, {
    after: async (p) => {
      await waitIn(p, 'button[data-action="more-threads"]:enabled');
      await clickIn(p, 'button[data-action="more-threads"]');
    },
  });
  const listed = await page.locator('details.thread').count();
  await page.close();
  expect(listed).toBe(1200);
  expect(d.longestTaskCpuMs, JSON.stringify(d)).toBeLessThanOrEqual(MAX_TASK_MS);
}, 180_000);

it('frames named mod!a.a.a… are shown cut and coloured without a main-thread task over 200 ms (F5)', async () => {
  const page = await openAnalyzer(browser());
  const d = await dropAndDraw(browser(), page, { name: 'dotted.txt', text: dottedSymbolFrames({ frames: 8, length: 64 * 1024 }) });
  const row = page.locator('.faulting-stack pre.stack .frame .code').first();
  await row.locator('.tok').first().waitFor({ timeout: 10_000 });
  const shown = (await row.textContent()) ?? '';
  await page.close();
  expect(shown.length).toBeLessThan(1200);
  expect(shown).toMatch(/… \(\d+ more characters, in the JSON\)$/);
  expect(d.longestTaskCpuMs, JSON.stringify(d)).toBeLessThanOrEqual(MAX_TASK_MS);
}, 180_000);

it('bidi controls from the dump are shown escaped on the page, never raw (F7)', async () => {
  const page = await openAnalyzer(browser());
  await dropAndDraw(browser(), page, { name: 'bidi.dmp', bytes: bidiStringsDump() });
  // Few modules: the table is open and built.
  expect(await page.locator('table.modules tbody tr').count()).toBeGreaterThanOrEqual(5);
  const text = await page.locator('.report').evaluate((r) => r.textContent ?? '');
  const titles = await page.locator('.report [title]').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? '').join(''));
  await page.close();
  const raw = [...BIDI_CONTROLS, '\u2028', '\u2029'].filter((c) => text.includes(c) || titles.includes(c));
  expect(raw).toEqual([]);
  expect(text).toContain('\\u202e');
}, 60_000);
