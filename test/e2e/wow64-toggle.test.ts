// A WOW64 thread has two stacks: the x86 one a reader wants (WinDbg's `.effmach x86` view)
// and the native x64 one that only shows the emulation layer. The switch shows one at a time.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useAnalyzedPaste } from './browser.ts';

const page = useAnalyzedPaste(() => readFileSync('fixtures/windbg/virtualized-process-seed.txt', 'utf8'));

it('starts on the x86 view, switches to the native x64 stack and back', async () => {
  const section = page().locator('.faulting-stack');
  const toggle = section.locator('button.view-toggle');
  const x86 = section.locator('pre.stack[data-view="x86"]');
  const native = section.locator('pre.stack[data-view="native"]');
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  expect(await x86.isVisible()).toBe(true);
  expect(await native.isVisible()).toBe(false);

  await toggle.click();
  expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  expect(await x86.isVisible()).toBe(false);
  expect(await native.isVisible()).toBe(true);
  expect(await native.locator('.stack-header').textContent()).toBe(' # Child-SP          RetAddr           Call Site');
  const rows = await native.locator('.frame').allTextContents();
  expect(rows[0]).toContain('00 00000000`0016e190 00000000`6b0064f2 wow64!Wow64NotifyDebugger+0x9');
  // Virtualized Process marks the WOW64 layer frames of the native stack as its evidence.
  const marked = await native.locator('.frame.evidence').filter({ hasText: 'WOW64 emulation layer' }).allTextContents();
  expect(marked.length).toBeGreaterThanOrEqual(5);
  expect(marked.every((r) => /wow64(cpu|win)?!/.test(r))).toBe(true);
  expect(await section.locator('.view-showing').textContent()).toContain('native x64');

  // Keyboard: the switch is a real button.
  await toggle.focus();
  await page().keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  expect(await x86.isVisible()).toBe(true);
});

it('gives each WOW64 thread in the thread list its own switch', async () => {
  const thread = page().locator('details.thread').nth(2);
  expect(await thread.locator('summary .tag').allTextContents()).toContain('WOW64');
  await thread.locator('summary').click();
  await thread.locator('button.view-toggle').click();
  const native = await thread.locator('pre.stack[data-view="native"] .frame').first().textContent();
  expect(native).toContain('wow64win!ZwUserGetMessage+0xa');
  // The faulting thread's switch is untouched by this one.
  expect(await page().locator('.faulting-stack button.view-toggle').getAttribute('aria-pressed')).toBe('true');
});
