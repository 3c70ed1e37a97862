import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'certain',
      why: 'the seed log with its x86 section',
      check: (finding, report) => {
        expect(finding.summary).toMatch(/32-bit stacks recovered for 5 threads/);
        const x86 = finding.evidence.find((e) => e.kind === 'frames' && e.view === 'x86');
        expect(x86).toMatchObject({ threadId: 0x2fe4, frames: [0] });
        const t0 = report.threads.find((t) => t.id === 0x2fe4)!;
        expect(t0.x86Frames?.[0]).toMatchObject({ module: 'kernel32', symbol: 'RaiseException', offset: '0x53' });
      },
    },
    {
      fixture: 'windbg/virtualized-process-seed-first-half.txt',
      confidence: 'certain',
      why: 'native view only',
      check: (finding) => expect(finding.summary).toMatch(/\.effmach x86/),
    },
    {
      fixture: 'synth/wow64-seed-like.dmp',
      confidence: 'certain',
      why: 'a 64-bit minidump of a 32-bit process: x86 stacks recovered from the WOW64 context',
      check: (finding, report) => {
        expect(report.process.wow64).toBe(true);
        expect(report.threads.every((t) => (t.x86Frames?.length ?? 0) > 0)).toBe(true);
        const t0 = report.threads.find((t) => t.id === 0x2fe4)!;
        expect(t0.x86Frames![0]).toMatchObject({ module: 'kernel32', symbol: 'RaiseException', offset: '0x53', trust: 'context' });
        expect(finding.summary).toMatch(/32-bit stacks recovered for 5 threads/);
      },
    },
    { fixture: 'synth/wow64-minimal.dmp', confidence: 'certain', why: 'no exception stream, one thread' },
  ],
  silent: [
    { fixture: 'synth/x64-plain.dmp', why: 'a plain 64-bit minidump' },
    { fixture: 'corpus/lldb/fizzbuzz_no_heap.dmp', why: 'a 32-bit dump of a WOW64 process: its stacks are already 32-bit' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'plain x64 log' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: 'plain x86 log' },
  ],
});
