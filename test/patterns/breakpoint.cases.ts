import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

/** A debugger break-in as CDB prints it when it attaches: the break, DbgBreakPoint, nothing else. */
export const LONE_BREAK_IN = [
  '(1a2c.1b30): Break instruction exception - code 80000003 (first chance)',
  'ntdll!DbgBreakPoint:',
  '00007ffd`4f6a0f00 cc              int     3',
  '0:005> k',
  ' # Child-SP          RetAddr               Call Site',
  '00 000000d2`1a5ffb88 00007ffd`4f6d87be     ntdll!DbgBreakPoint',
].join('\n');

/** A process started under CDB: the loader's initial breakpoint, the only event. */
const INITIAL_BREAK = [
  '(2f1c.3a08): Break instruction exception - code 80000003 (first chance)',
  'ntdll!LdrpDoDebuggerBreak+0x30:',
  '00007ffd`4f72bd54 cc              int     3',
  '0:000> k',
  ' # Child-SP          RetAddr               Call Site',
  '00 000000a1`2c6ff2e0 00007ffd`4f7250b9     ntdll!LdrpDoDebuggerBreak+0x30',
  '01 000000a1`2c6ff320 00007ffd`4f6fa7ed     ntdll!LdrpInitializeProcess+0x1d79',
].join('\n');

export default defineCases({
  fire: [
    {
      fixture: 'dumps/breakpoint.dmp',
      confidence: 'certain',
      why: 'real Wine dump: int 3 in the program',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'breakpoint', data: { what: 'a breakpoint instruction (int 3)', how: 'at breakpoint+0x1839' } }),
    },
    {
      fixture: 'windbg/breakpoint-debugbreak.txt',
      confidence: 'certain',
      why: 'DebugBreak() left in shipped code',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'breakpoint', data: { how: 'in DebugBreak, called from Licensing!LicenseCheck::Verify+0x94' } });
        expect(finding.evidence.filter((e) => e.kind === 'frames').flatMap((e) => (e.kind === 'frames' ? e.frames : []))).toEqual([0, 1]);
      },
    },
  ],
  silent: [
    { fixture: 'windbg/real/05-msdocs-pageheap-verifier-stop-x86.txt', why: 'the break after a VERIFIER STOP is the verifier’s report, not the program’s int 3' },
    { fixture: 'windbg/real/10-gh-drmemory-1161-heap-invalid-free-break-x86.txt', why: 'the break in RtlpBreakPointHeap after a HEAP[...] message is the heap’s' },
    { text: LONE_BREAK_IN, name: 'lone-break-in.txt', why: 'a debugger break-in (DbgBreakPoint, nothing else) is Manual Dump, not Breakpoint' },
    { text: INITIAL_BREAK, name: 'initial-breakpoint.txt', why: 'the loader’s initial breakpoint is never the crash' },
    { fixture: 'windbg/hidden-exception-manual-dump.txt', why: 'the debugger\'s own break-in (DbgUiRemoteBreakin)' },
    { fixture: 'dumps/manual-dump.dmp', why: 'a dump taken on request, with no exception' },
    { fixture: 'dumps/null-pointer-code.dmp', why: 'an access violation' },
  ],
});
