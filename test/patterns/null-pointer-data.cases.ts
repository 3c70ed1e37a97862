import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

/** CDB starts a process: the initial breakpoint, a handled C++ throw, then a NULL write nobody catches. */
const INITIAL_THEN_AV = [
  '(2f1c.3a08): Break instruction exception - code 80000003 (first chance)',
  'ntdll!LdrpDoDebuggerBreak+0x30:',
  '00007ffd`4f72bd54 cc              int     3',
  '0:000> g',
  '(2f1c.2b44): C++ EH exception - code e06d7363 (first chance)',
  '(2f1c.2b44): Access violation - code c0000005 (first chance)',
  'First chance exceptions are reported before any exception handling.',
  'rax=0000000000000000 rbx=0000000000000000 rcx=0000000000000001',
  'rsi=000000000000002a rdi=0000000000000000 rip=00007ff6a1c21a3c',
  'App!Widget::Store+0x1c:',
  '00007ff6`a1c21a3c 48897320        mov     qword ptr [rbx+20h],rsi ds:00000000`00000020=????????????????',
  '0:003> g',
  '(2f1c.2b44): Access violation - code c0000005 (!!! second chance !!!)',
  'App!Widget::Store+0x1c:',
  '00007ff6`a1c21a3c 48897320        mov     qword ptr [rbx+20h],rsi ds:00000000`00000020=????????????????',
].join('\n');

export default defineCases({
  fire: [
    {
      fixture: 'windbg/real/13-gh-dotnet-runtime-110837-coreclr-null-0x10-x64.txt',
      confidence: 'likely',
      why: 'real (dotnet/runtime issue 110837): no exception line, the stop instruction reads [rdx+10h] = ds:…0010=????: inferred, so likely',
      check: (finding, report) => {
        expect(finding.data).toMatchObject({ what: 'read', where: ' at coreclr!LoaderAllocator::SetHandleValue+0xb2' });
        expect(report.exception).toMatchObject({ code: '0xc0000005', inferred: true, access: { kind: 'read', address: '0x10' } });
      },
    },
    {
      text: INITIAL_THEN_AV,
      name: 'initial-break-then-av.txt',
      confidence: 'certain',
      why: 'the loader’s breakpoint, then a second-chance NULL write: the last stop is the exception',
      check: (finding, report) => {
        expect(finding.data).toMatchObject({ what: 'wrote' });
        expect(report.exception).toMatchObject({ code: '0xc0000005', chance: 'second', access: { kind: 'write', address: '0x20' } });
      },
    },
    {
      fixture: 'dumps/null-pointer-data-read.dmp',
      confidence: 'certain',
      why: 'real Wine dump: a read of NULL + 8',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'nullAccess',
          data: { what: 'read', offset: '0x8 (NULL + 0x8: a field of a structure reached through a NULL pointer)', where: ' at null_pointer_data_read+0x188b' },
        });
        expect(finding.evidence.some((e) => e.kind === 'frames' && e.frames[0] === 0)).toBe(true);
      },
    },
    {
      fixture: 'corpus/breakpad/null_write_av.dmp',
      confidence: 'certain',
      why: 'real x86 dump written by Breakpad: a write to address 0',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'nullAccess', data: { what: 'wrote', offset: 'address 0', where: ' at crashme+0xa6cd' } }),
    },
    {
      fixture: 'corpus/breakpad/minidump_32bit_crash_addr.dmp',
      confidence: 'certain',
      why: '32-bit dump whose address field carries junk in its upper half',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'nullAccess', data: { what: 'wrote', offset: '0x45 (NULL + 0x45: a field of a structure reached through a NULL pointer)', where: ' at test_app+0x429e' } }),
    },
    {
      fixture: 'corpus/breakpad/linux_null_dereference.dmp',
      confidence: 'likely',
      why: 'Linux SIGSEGV at 0: a signal cannot tell NULL from a general-protection fault',
    },
    {
      fixture: 'windbg/nested-exceptions-filter-x86.txt',
      confidence: 'certain',
      why: 'WinDbg log: the fault site is found below the dispatcher frames',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'nullAccess',
          data: { what: 'read', offset: '0xc (NULL + 0xc: a field of a structure reached through a NULL pointer)', where: ' at Billing!LogFilter::Describe+0x1f' },
        }),
    },
  ],
  silent: [
    { fixture: 'windbg/real/21-gh-fluentbit-2251-procdump-av-banner-x64.txt', why: 'real (fluent-bit issue 2251): an access violation whose address the paste cut off: unknown, never "at 0x0"' },
    { fixture: 'dumps/null-pointer-code.dmp', why: 'a NULL code pointer: the fetch, not data, failed' },
    { fixture: 'corpus/breakpad/linux_jmp_to_0.dmp', why: 'Linux jump to 0: the fault address is the instruction pointer' },
    { fixture: 'corpus/breakpad/read_av_non_null.dmp', why: 'a read of 0x4e3c9, far from NULL' },
    { fixture: 'dumps/divide-by-zero.dmp', why: 'not an access violation' },
  ],
});
