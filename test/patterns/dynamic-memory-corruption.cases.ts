import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const NTDLL = 0x7ffd4f5a0000n;
const APP = 0x7ff7a3e10000n;
const TID = 0x1d34;

/** What Windows 7 and later write when the heap manager finds a damaged block: 0xc0000374 raised in ntdll. */
function heapCorruptionDump(): Uint8Array {
  const rip = NTDLL + 0x10f1f6n;
  const rsp = 0xb91e6ff1a0n;
  const stack = new Uint8Array(0x100);
  new DataView(stack.buffer).setBigUint64(0x38, APP + 0x1a2en, true);
  const ctx = contextAmd64({ rip, rsp });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045, productType: 1, cpuCount: 8 })
    .module({ name: 'C:\\Windows\\System32\\ntdll.dll', base: NTDLL, size: 0x1f8000 })
    .module({ name: 'C:\\Program Files\\Catalog\\Catalog.exe', base: APP, size: 0xa000 })
    .thread({ id: TID, stack: { address: rsp, bytes: stack }, context: ctx })
    .exception({ threadId: TID, code: 0xc0000374, flags: 0x81, address: rip, parameters: [NTDLL + 0x1767f0n], context: ctx })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'windbg/real/05-msdocs-pageheap-verifier-stop-x86.txt',
      confidence: 'certain',
      why: 'real (Microsoft docs): VERIFIER STOP 00000008, corrupted suffix pattern, then the verifier breaks in',
      check: (finding) => {
        expect(finding.messageId).toBe('heapReported');
        expect(finding.data?.['report']).toBe('VERIFIER STOP 00000008: corrupted suffix pattern');
      },
    },
    {
      fixture: 'windbg/real/06-msdocs-pageheap-full-av-x86.txt',
      confidence: 'likely',
      why: 'real (Microsoft docs): full page heap, a write one byte into the guard page after a block',
      check: (finding) => {
        expect(finding.messageId).toBe('pageHeapGuard');
        expect(finding.data).toMatchObject({ what: 'wrote', address: '0xc87001', at: ' at pheap-buggy!TestCorruptAfterEnd+0x1f' });
      },
    },
    {
      fixture: 'windbg/real/08-gh-trafficmonitor-995-heap-corruption-k-src.txt',
      confidence: 'likely',
      why: 'real (TrafficMonitor issue 995): `k` under 0:007 alone, through RtlReportFatalFailure; no exception printed',
      check: (finding) => expect(finding.messageId).toBe('heapDamaged'),
    },
    {
      fixture: 'windbg/real/09-gh-winafl-96-c0000374-kb-x86.txt',
      confidence: 'certain',
      why: 'real (winafl issue 96): c0000374 at second chance, in a fenced paste',
      check: (finding) => expect(finding.data?.['what']).toBe('STATUS_HEAP_CORRUPTION'),
    },
    {
      fixture: 'windbg/real/10-gh-drmemory-1161-heap-invalid-free-break-x86.txt',
      confidence: 'certain',
      why: 'real (Dr. Memory issue 1161): "HEAP[malloc.exe]: Invalid address specified to RtlFreeHeap", then the heap breaks in',
      check: (finding) => {
        expect(finding.messageId).toBe('heapReported');
        expect(finding.data?.['report']).toBe('Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )');
      },
    },
    {
      fixture: 'windbg/real/11-gh-drmemory-2499-heap-break-multiproc-prompt-x64.txt',
      confidence: 'likely',
      why: 'real (Dr. Memory issue 2499): `k` under 5:026 through RtlpBreakPointHeap and RtlpValidateHeapEntry, no message',
      check: (finding) => expect(finding.data?.['what']).toBe('RtlpBreakPointHeap on the stack'),
    },
    { fixture: 'dumps/dynamic-memory-corruption.dmp', images: [...WINE_IMAGES, 'dumps/dynamic-memory-corruption.exe'], why: "a use-after-free crashes inside RtlAllocateHeap under Wine" },
    {
      fixture: 'windbg/dynamic-memory-corruption-double-free.txt',
      confidence: 'certain',
      why: 'STATUS_HEAP_CORRUPTION with the heap manager\'s report on the stack',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'heapDamaged',
          data: { what: 'STATUS_HEAP_CORRUPTION', during: ', during ucrtbase!_free_base+0x1b on thread ~? (id 0x1d34)' },
        });
        const frames = finding.evidence.filter((e) => e.kind === 'frames').flatMap((e) => (e.kind === 'frames' ? e.frames : []));
        expect(frames).toEqual([0, 1, 2, 3, 6]);
      },
    },
    {
      bytes: heapCorruptionDump,
      name: 'synthetic-heap-corruption.dmp',
      confidence: 'certain',
      why: 'a minidump whose stored exception is 0xc0000374',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'heapDamaged', data: { what: 'STATUS_HEAP_CORRUPTION', during: '' } }),
    },
    {
      fixture: 'windbg/x86-heap-corruption-kv.txt',
      confidence: 'likely',
      why: 'no stored exception, but RtlReportCriticalFailure on the stack',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'heapDamaged', data: { what: 'RtlReportCriticalFailure on the stack', during: ', during MSVCR100!free+0x1c on thread ~0 (id 0x1f44)' } }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation in the program, not in the heap' },
    { fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp', why: 'fail-fast with a non-heap code' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a C++ exception' },
  ],
});
