// Evidence in words: a field path is shown as what it holds, never as the model's path.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { evidenceText, fieldWords } from '../../src/render/evidence-text.ts';
import { analyzeInput } from '../lib/analyze-input.ts';

it('has words for every field path a detector names literally', async () => {
  const report = await analyzeInput({ fixture: 'dumps/deadlock-critical-sections-full.dmp' });
  const paths = new Set<string>();
  for (const file of readdirSync('src/detectors').filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(`src/detectors/${file}`, 'utf8').matchAll(/path: '([\w.]+)'/g)) paths.add(m[1]!);
  }
  expect(paths.size).toBeGreaterThan(15);
  for (const path of paths) expect(fieldWords(path, report), path).not.toBe(path);
});

it('names a critical section and a handle by what identifies them', async () => {
  const locks = await analyzeInput({ fixture: 'dumps/deadlock-critical-sections-full.dmp' });
  const lock = locks.locks![1]!;
  expect(fieldWords('locks.1', locks)).toBe(`critical section ${lock.name ?? lock.address}`);
  const handles = await analyzeInput({ fixture: 'dumps/handle-data/wait-chain-mutex-objects-full.dmp' });
  const h = handles.handles![0]!;
  expect(fieldWords('handles.0', handles)).toBe(`handle ${h.value}${h.type ? ` (${h.type})` : ''}`);
  // A record the report does not hold falls back to its list's words.
  expect(fieldWords('locks.99999', locks)).toBe('the critical sections');
  expect(fieldWords('annotations.VERIFIER_STOP', locks)).toBe('the debugger’s VERIFIER_STOP');
  expect(fieldWords('no.such.path', locks)).toBe('no.such.path');
});

it('says which thread and frames a piece of evidence is on, by the thread’s label', async () => {
  const report = await analyzeInput({ fixture: 'dumps/deadlock-critical-sections-full.dmp' });
  const withFrames = report.findings.flatMap((f) => f.evidence).find((e) => e.kind === 'frames')!;
  expect(evidenceText(withFrames, report)).toMatch(/^thread ~\d+ \(id 0x[0-9a-f]+\), (native|x86) frames? [0-9a-f]{2}/);
  // Blocked Threads points at the two critical sections by their place in the model.
  const field = report.findings.flatMap((f) => f.evidence).find((e) => e.kind === 'field' && e.path.startsWith('locks.'))!;
  expect(evidenceText(field, report)).toMatch(/^critical section \S+: /);
});
