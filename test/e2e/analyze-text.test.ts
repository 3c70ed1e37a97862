// A reader pastes the seed's WinDbg log into /analyze and sees Virtualized Process with the
// faulting thread's x86 stack, the dump at a glance, the exception and every thread.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useAnalyzedPaste } from './browser.ts';

const page = useAnalyzedPaste(() => readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));

it('shows Virtualized Process, certain, linking to its page', async () => {
  const finding = page().locator('.finding[data-pattern="virtualized-process"]');
  expect(await finding.locator('.confidence').textContent()).toBe('certain');
  expect(await finding.locator('a.finding-title').getAttribute('href')).toBe('/patterns/virtualized-process/');
  expect(await finding.locator('.finding-summary').textContent()).toMatch(/32-bit stacks recovered for 5 threads/);
});

it('shows the faulting thread’s x86 stack in WinDbg layout, with the evidence frame marked', async () => {
  const x86 = page().locator('.faulting-stack pre.stack[data-view="x86"]');
  expect(await x86.locator('.stack-header').textContent()).toBe(' # ChildEBP RetAddr  Call Site');
  const rows = await x86.locator('.frame').allTextContents();
  expect(rows[0]).toContain('00 0012d98c 7da4a631 kernel32!RaiseException+0x53');
  expect(rows.at(-1)).toContain('App+0x188f3');
  // Virtualized Process marks the top of the real 32-bit stack; other patterns may mark more.
  const marked = x86.locator('.frame.evidence').filter({ hasText: 'top of the real 32-bit stack' });
  expect(await marked.count()).toBe(1);
  expect(await marked.getAttribute('data-index')).toBe('0');
  expect(await x86.locator('.frame').first().getAttribute('class')).toContain('evidence');
  // The debugger's own doubt about later frames is kept, as WinDbg printed it.
  expect(await x86.locator('.frame-warning').first().textContent()).toContain('Frame IP not in any known module');
});

it('tells the dump at a glance and the exception with its meaning', async () => {
  const glance = await page().locator('section[aria-labelledby="r-glance"] dl').textContent();
  expect(glance).toContain('User Mini Dump File with Full Memory');
  expect(glance).toContain('Windows Server 2003');
  expect(glance).toMatch(/WOW64yes — a 32-bit process in a 64-bit dump/);
  expect(glance).toContain('1 min 54 s'); // Process Uptime: 0 days 0:01:54.000
  const ex = await page().locator('section[aria-labelledby="r-ex"]').textContent();
  expect(ex).toContain('0x000006d9');
  expect(ex).toContain('no more endpoints available from the endpoint mapper');
});

it('lists every thread, collapsed, and builds a thread’s stacks when it is opened', async () => {
  const threads = page().locator('details.thread');
  expect(await threads.count()).toBe(5);
  const second = threads.nth(1);
  expect(await second.locator('pre.stack').count()).toBe(0);
  await second.locator('summary').click();
  await second.locator('pre.stack[data-view="x86"]').waitFor();
  const rows = await second.locator('pre.stack[data-view="x86"] .frame').allTextContents();
  expect(rows[0]).toContain('ntdll_7d600000!NtWaitForMultipleObjects+0x15');
});

it('colours the stack with the WinDbg grammar', async () => {
  const firstRow = page().locator('.faulting-stack pre.stack[data-view="x86"] .frame').first();
  await firstRow.locator('.code[data-coloured]').waitFor({ timeout: 10_000 });
  const colours = await firstRow.locator('.tok').evaluateAll((spans) =>
    spans.map((s) => [s.textContent, getComputedStyle(s).color]),
  );
  const module = colours.find(([t]) => t === 'kernel32');
  const address = colours.find(([t]) => t === '0012d98c');
  expect(module?.[1]).toBe('rgb(111, 66, 193)'); // github-light entity.name
  expect(address?.[1]).toBe('rgb(0, 92, 197)'); // github-light constant.numeric
});
