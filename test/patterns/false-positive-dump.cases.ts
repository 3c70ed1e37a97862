import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const KERNELBASE = 0x7ffd4cce0000n;
const TID = 0x2230;

/**
 * A first-chance C++ throw dumped by procdump -e 1, in Windows' layout (test-data builder):
 * procdump's own comment lines, the MSVC throw record raised from KERNELBASE.
 */
function procdumpFirstChance(comment: string): Uint8Array {
  const rip = KERNELBASE + 0x3567cn;
  const rsp = 0xc85e3fe1d0n;
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 20348, productType: 3 })
    .module({ name: 'C:\\Services\\Billing\\Billing.exe', base: 0x7ff641a80000n, size: 0x28000 })
    .module({ name: 'C:\\Windows\\System32\\KERNELBASE.dll', base: KERNELBASE, size: 0x3b6000 })
    .thread({ id: TID, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .exception({ threadId: TID, code: 0xe06d7363, flags: 1, address: rip, parameters: [0x19930520n, 0xc85e3fe300n, 0x7ff641aa1c58n, 0x7ff641a80000n], context: ctx })
    .commentA(comment)
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'dumps/false-positive-dump.dmp',
      confidence: 'possible',
      why: 'real Wine dump written at first chance (its comment says so); without images the fault is only "kernel32+0x29f4a"',
      check: (finding, report) => {
        expect(report.exception?.chance).toBe('first');
        expect(finding.messageId).toBe('firstChance');
      },
    },
    {
      fixture: 'dumps/false-positive-dump.dmp',
      images: [...WINE_IMAGES, 'dumps/false-positive-dump.exe'],
      confidence: 'likely',
      why: 'with kernel32.dll beside it the fault is inside IsBadReadPtr, which handles its own probe',
      check: (finding) => expect(finding.data['why']).toMatch(/^kernel32!IsBadReadPtr\+0x[0-9a-f]+ handles it itself/),
    },
    {
      bytes: () => procdumpFirstChance('\r\n*** procdump.exe -accepteula -ma -e 1 -f "" Billing.exe\r\n*** First chance exception: E06D7363.?AVruntime_error@std@@\r\n'),
      name: 'synthetic-procdump-first-chance-throw.dmp',
      confidence: 'likely',
      why: "test-data builder, Windows' layout: procdump -e 1's comment on a first-chance C++ throw",
      check: (finding) => expect(finding.data['why']).toBe('it is a C++ throw, which a catch block usually takes'),
    },
  ],
  // No real log in fixtures/windbg/real shows a dump written at a first chance: the first-chance
  // lines there (05, 06, 10) are live sessions, which stop at every first chance by design, and
  // the one dump (21) was written by procdump -e on an unhandled exception.
  silent: [
    {
      fixture: 'windbg/real/21-gh-fluentbit-2251-procdump-av-banner-x64.txt',
      why: 'real (fluent-bit issue 2251): procdump -ma -e, its comment says "Unhandled exception: C0000005": second chance, a real crash',
    },
    {
      fixture: 'windbg/real/06-msdocs-pageheap-full-av-x86.txt',
      why: 'real (Microsoft docs): a live session that saw the first chance and then the second ("!!! second chance !!!"); no dump',
    },
    {
      fixture: 'windbg/real/10-gh-drmemory-1161-heap-invalid-free-break-x86.txt',
      why: 'real (Dr. Memory issue 1161): the debug heap’s break at its first chance in a live session (no dump banner): debugging, not a dump',
    },
    { fixture: 'dumps/local-buffer-overflow.dmp', why: 'its comment says second chance: nothing handled it' },
    {
      bytes: () => procdumpFirstChance('\r\n*** procdump.exe -accepteula -ma -e Billing.exe\r\n*** Unhandled exception: E06D7363.?AVruntime_error@std@@\r\n'),
      name: 'synthetic-procdump-unhandled-throw.dmp',
      why: 'the same throw dumped by procdump -e: unhandled, second chance',
    },
    { fixture: 'dumps/invalid-handle.dmp', why: 'first chance too, but nothing in the dump says so: silence, not a guess' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a crash dumped by its own filter' },
  ],
});
