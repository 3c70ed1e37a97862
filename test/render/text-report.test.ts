// The stack the text report (and the page) leads with.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { analyzeText } from '../../src/engine/analyze.ts';
import { loadCatalog, loadDetectors } from '../../src/catalog/load-node.ts';
import { faultingThread, renderTextReport } from '../../src/render/text-report.ts';

const detectors = await loadDetectors();
const catalog = loadCatalog();

it('leads a hang with the stack a finding points at when thread 0 printed none', async () => {
  // Microsoft's deadlock walk-through: `~` lists nine threads, `!locks` two sections, and only
  // threads 4 and 6 have their stacks printed.
  const text = readFileSync('fixtures/windbg/real/03-msdocs-deadlock-ftpsvc2-x86.txt', 'utf8');
  const report = await analyzeText(text, '03.txt', { detectors, catalog });
  expect(report.exception).toBeNull();
  expect(report.threads[0]!.frames).toHaveLength(0);
  expect(faultingThread(report)?.id).toBe(0xa3);
  const out = renderTextReport(report);
  expect(out).toContain('Thread ~4 (id 0xa3):');
  expect(out).toContain('ftpsvc2!DereferenceUserDataAndKill+0x24');
});

it('keeps the first thread when no thread has a stack', async () => {
  const text = readFileSync('fixtures/windbg/real/gh-nohuto-windbg-notes-cpustres-suspended-x86.txt', 'utf8');
  const report = await analyzeText(text, 'n.txt', { detectors, catalog });
  expect(report.threads.every((t) => t.frames.length === 0)).toBe(true);
  expect(faultingThread(report)).toBe(report.threads[0]);
});
