import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64, contextX86 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

/** A 64-bit dump whose process loaded the WOW64 layer, though no thread shows its frames. */
function wow64LayerLoadedOnly(): Uint8Array {
  const rip = 0x7ff68a2113ben;
  const rsp = 0xe393cff5a0n;
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Tools\\Probe.exe', base: 0x7ff68a200000n, size: 0x3b000 })
    .module({ name: 'C:\\Windows\\System32\\wow64cpu.dll', base: 0x77a10000n, size: 0xa000 })
    .thread({ id: 0x1d84, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .build().bytes;
}

/** A 32-bit dump that lists wow64cpu.dll: its stacks are already the 32-bit ones. */
function x86DumpListingWow64(): Uint8Array {
  const eip = 0x401a2bn;
  const esp = 0x19fe40n;
  const ctx = contextX86({ eip, esp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Tools\\Probe32.exe', base: 0x400000n, size: 0x30000 })
    .module({ name: 'C:\\Windows\\System32\\wow64cpu.dll', base: 0x77a10000n, size: 0xa000 })
    .thread({ id: 0x2a10, stack: { address: esp, bytes: new Uint8Array(0x200) }, context: ctx })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'certain',
      why: 'the seed log with its x86 section',
      check: (finding, report) => {
        expect(finding).toMatchObject({
          messageId: 'wow64',
          data: { where: '5 threads of 5 show only WOW64 frames natively', x86: "32-bit stacks recovered for 5 threads; the faulting thread's starts at kernel32!RaiseException" },
        });
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
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'wow64', data: { x86: 'the 32-bit stacks are not in this input: in WinDbg run .load wow64exts; .effmach x86; ~*k' } }),
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
        expect(finding).toMatchObject({ messageId: 'wow64', data: { x86: "32-bit stacks recovered for 5 threads; the faulting thread's starts at kernel32!RaiseException" } });
      },
    },
    { fixture: 'synth/wow64-minimal.dmp', confidence: 'certain', why: 'no exception stream, one thread' },
    {
      bytes: wow64LayerLoadedOnly,
      name: 'synthetic-wow64-layer-loaded.dmp',
      confidence: 'certain',
      why: 'no thread shows WOW64 frames: the loaded layer module alone tells it',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'wow64', data: { where: 'the WOW64 layer (wow64cpu.dll) is loaded' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'module', name: 'wow64cpu.dll' }));
      },
    },
  ],
  silent: [
    { fixture: 'synth/x64-plain.dmp', why: 'a plain 64-bit minidump' },
    { bytes: x86DumpListingWow64, name: 'synthetic-x86-listing-wow64.dmp', why: 'a 32-bit dump that lists the WOW64 layer: nothing to recover' },
    { fixture: 'corpus/lldb/fizzbuzz_no_heap.dmp', why: 'a 32-bit dump of a WOW64 process: its stacks are already 32-bit' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'plain x64 log' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: 'plain x86 log' },
  ],
});
