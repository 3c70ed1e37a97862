// The reader on debugger output as people paste it: each case is a snippet of one of the real
// logs in fixtures/windbg/real (provenance in its README), cut to the lines the change is about.
import { describe, expect, it } from 'vitest';
import { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { parseExceptionLine } from '../../../src/engine/windbg-text/exception-line.ts';
import { parseHeapLine } from '../../../src/engine/windbg-text/heap-reports.ts';
import { memoryAccess } from '../../../src/engine/windbg-text/instruction-operands.ts';
import { looksMarkdownEscaped, normaliseLine } from '../../../src/engine/windbg-text/lines.ts';
import { parseLockCount, parseLockLine } from '../../../src/engine/windbg-text/locks.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';
import { parseLastEvent } from '../../../src/engine/windbg-text/session-lines.ts';
import { parseStackHeader, parseThreadHeader } from '../../../src/engine/windbg-text/thread-stacks.ts';

const read = (lines: string[], name = 'paste.txt') => {
  const m = readWindbgText(lines.join('\n'), name);
  DumpModel.parse(m);
  return m;
};

describe('1. a stack without a thread header', () => {
  it('`k` under a prompt whose thread the log never listed: that thread, by number, id not shown (13)', () => {
    const m = read([
      '0:029> k',
      ' # Child-SP          RetAddr               Call Site',
      '00 000000d6`ebbff9d0 00007ffa`1060dc2e     coreclr!LoaderAllocator::SetHandleValue+0xb2 [D:\\a\\_work\\1\\s\\src\\coreclr\\vm\\loaderallocator.cpp @ 991] ',
      '01 000000d6`ebbffa40 00007ffa`104ed30a     coreclr!LoaderAllocator::FreeHandle+0x1a [D:\\a\\_work\\1\\s\\src\\coreclr\\vm\\loaderallocator.cpp @ 883] ',
    ]);
    expect(m.threads).toHaveLength(1);
    expect(m.threads[0]).toMatchObject({ ordinal: 29, unidentified: 'id' });
    expect(m.threads[0]!.frames.map((f) => f.symbol)).toEqual(['LoaderAllocator::SetHandleValue', 'LoaderAllocator::FreeHandle']);
  });

  it('a header without "#" (17)', () => {
    const m = read([
      '0:016> ~13s',
      'ntdll!ZwWaitForAlertByThreadId+0x14:',
      '00007ffa`77c7f9f4 c3              ret',
      '0:013> k',
      'Child-SP          RetAddr           Call Site',
      '00000077`331fd6f8 00007ffa`77be7619 ntdll!ZwWaitForAlertByThreadId+0x14',
      '00000077`331fd700 00007ffa`77be74d2 ntdll!RtlpWaitOnAddressWithTimeout+0x81',
    ]);
    expect(m.threads[0]).toMatchObject({ ordinal: 13, unidentified: 'id', faulting: false });
    expect(m.threads[0]!.frames).toHaveLength(2);
  });

  it('a stack printed before the thread list goes to the thread the list names by that number (01)', () => {
    const m = read([
      '0:002> k ',
      'ChildEBP RetAddr',
      '009fdd0c 71a32520 COMCTL32!_chkstk+0x25',
      '009fde78 77cf8290 COMCTL32!ListView_WndProc+0x4c4',
      '',
      '0:002> ~*k',
      '',
      '   0  id: 570.574   Suspend: 1 Teb 7ffde000 Unfrozen',
      '. 2  id: 570.598   Suspend: 1 Teb 7ffdc000 Unfrozen',
      'ChildEBP RetAddr',
      ' 009fdd0c 71a32520 COMCTL32!_chkstk+0x25 ',
      '.....',
    ]);
    const t2 = m.threads.find((t) => t.id === 0x598)!;
    expect(t2).toMatchObject({ ordinal: 2, teb: '0x7ffdc000' });
    expect(t2.unidentified).toBeUndefined();
    expect(t2.frames).toHaveLength(2);
    // In the order the log showed them: ~2's stack came first.
    expect(m.threads.map((t) => t.id)).toEqual([0x598, 0x574]);
  });

  it('a STACK_TEXT block alone is the current thread\'s, and faulting when an exception is named', () => {
    const m = read([
      'EXCEPTION_CODE_STR:  c0000005',
      '',
      'STACK_TEXT:  ',
      '000000c5`4f2ff6a0 00007ff6`1e2a10b9     : 00000000`00000001 00000000`00000002 00000000`00000003 00000000`00000004 : App!Crash+0x17',
      '000000c5`4f2ff6e0 00007ffd`4e7b7034     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : App!main+0x29',
    ]);
    expect(m.threads).toHaveLength(1);
    expect(m.threads[0]).toMatchObject({ unidentified: 'id-and-number', faulting: true });
    expect(m.threads[0]!.frames).toHaveLength(2);
  });

  it('`.ecxr` then `kn`: the faulting thread\'s stack, whichever thread the prompt shows', () => {
    const m = read([
      '   0  Id: 2c3c.1d70 Suspend: 1 Teb: 000000d2`18e5c000 Unfrozen',
      '#  3  Id: 2c3c.0b84 Suspend: 1 Teb: 000000d2`18e5e000 Unfrozen',
      '0:000> .ecxr',
      'rax=0000000000000000 rbx=0000000000000000 rcx=0000000000000001',
      '0:000> kn',
      ' # Child-SP          RetAddr               Call Site',
      '00 000000d2`18cff5a0 00007ff6`5b2e1b4d     Sketchpad!Canvas::FillSpan+0x42',
    ]);
    expect(m.threads.find((t) => t.id === 0xb84)!.frames).toHaveLength(1);
    expect(m.threads.find((t) => t.id === 0x1d70)!.frames).toHaveLength(0);
  });

  it('only text with no debugger output at all is refused', () => {
    expect(() => read(['Hello, my app crashes.', 'Any idea?'])).toThrow(DumpError);
  });
});

describe('2. the event the debugger stopped on wins', () => {
  it('the loader\'s initial breakpoint, first-chance noise, then the crash: the crash', () => {
    const m = read([
      '(1a2c.1b30): Break instruction exception - code 80000003 (first chance)',
      'ntdll!LdrpDoDebuggerBreak+0x30:',
      '00007ffd`4f72bd54 cc              int     3',
      '0:000> g',
      '(1a2c.2200): WinRT originate error - code 40080201 (first chance)',
      '(1a2c.2200): C++ EH exception - code e06d7363 (first chance)',
      '(1a2c.2200): Stack overflow - code c00000fd (first chance)',
      '(1a2c.2200): Stack overflow - code c00000fd (!!! second chance !!!)',
    ]);
    expect(m.exception).toMatchObject({ code: '0xc00000fd', chance: 'second', threadId: 0x2200 });
  });

  it('the initial breakpoint alone is no exception', () => {
    const m = read([
      '(1a2c.1b30): Break instruction exception - code 80000003 (first chance)',
      'ntdll!LdrpDoDebuggerBreak+0x30:',
      '00007ffd`4f72bd54 cc              int     3',
      '0:000> k',
      ' # Child-SP          RetAddr               Call Site',
      '00 000000a1`2c6ff2e0 00007ffd`4f7250b9     ntdll!LdrpDoDebuggerBreak+0x30',
    ]);
    expect(m.exception).toBeNull();
    expect(m.threads[0]!.faulting).toBe(false);
  });

  it('`.lastevent` in the old words names the event and its chance (01)', () => {
    expect(parseLastEvent('Last event: Exception C00000FD, second chance ')).toEqual({ pid: null, tid: null, text: 'Exception', code: 0xc00000fd, chance: 'second' });
    const m = read(['0:002> .lastevent ', 'Last event: Exception C00000FD, second chance ', '', '0:002> ~', '   0  id: 570.574   Suspend: 1 Teb 7ffde000 Unfrozen', '. 2  id: 570.598   Suspend: 1 Teb 7ffdc000 Unfrozen']);
    expect(m.exception).toMatchObject({ code: '0xc00000fd', chance: 'second', threadId: 0x598 });
  });

  it('`.lastevent` restating the event line fills in nothing new and starts no new stop', () => {
    const m = read([
      '(5bc4.49a0): Access violation - code c0000005 (first/second chance not available)',
      '0:000> .lastevent',
      'Last event: 5bc4.49a0: Access violation - code c0000005 (first/second chance not available)',
      '0:000> .exr -1',
      'ExceptionAddress: 00007ff61e2a1017 (App!Crash+0x0000000000000017)',
      '   ExceptionCode: c0000005 (Access violation)',
    ]);
    expect(m.exception).toMatchObject({ code: '0xc0000005', address: '0x7ff61e2a1017', chance: null, threadId: 0x49a0 });
  });
});

describe('3. exception lines as debuggers print them', () => {
  it('with or without "(pid.tid): "; a break instruction; second chance', () => {
    expect(parseExceptionLine('Break instruction exception - code 80000003 (first chance)')).toEqual({ pid: null, tid: null, text: 'Break instruction exception', code: 0x80000003, chance: 'first' });
    expect(parseExceptionLine('Access violation - code c0000005 (!!! second chance !!!)')).toMatchObject({ tid: null, chance: 'second' });
    expect(parseExceptionLine('(c50.8d4): Break instruction exception - code 80000003 (first chance)')).toMatchObject({ pid: 0xc50, tid: 0x8d4 });
    // Without ids the chance must be the debugger's words: prose of that shape is not an event.
    expect(parseExceptionLine('Build failed - code 5 (see the log)')).toBeNull();
  });

  it('un-escapes a Markdown-escaped paste and decodes entities (16)', () => {
    const text = '0&#8203;:004> \\!cs 00000000003d9730\nntdll\\!RtlEnterCriticalSection\\+0xab 00000000\\`053ff450 msvcrt\\!alloc\\_osfhnd';
    expect(looksMarkdownEscaped(text)).toBe(true);
    expect(normaliseLine('0&#8203;:004> \\!cs 00000000003d9730', { markdownEscaped: true })).toBe('0:004> !cs 00000000003d9730');
    expect(normaliseLine('Critical section   = 0x00000000003d9730 \\(\\+0x3D9730\\)', { markdownEscaped: true })).toBe('Critical section   = 0x00000000003d9730 (+0x3D9730)');
    expect(normaliseLine('00000000\\`053ff4e0 msvcrt\\!mktemp\\_s\\+0x234', { markdownEscaped: true })).toBe('00000000`053ff4e0 msvcrt!mktemp_s+0x234');
    // A path in a text that was not escaped keeps its backslashes.
    expect(looksMarkdownEscaped('coreclr!X+0xb2 [D:\\a\\_work\\1\\s\\src\\x.cpp @ 991]')).toBe(false);
    // Inline-code backticks around a pasted line go; an address's own stays (18).
    expect(normaliseLine('`ExceptionAddress: 00007ff7185b322e (AppName!FailFast_1+0x2de)')).toBe('ExceptionAddress: 00007ff7185b322e (AppName!FailFast_1+0x2de)');
    expect(normaliseLine('```')).toBe('');
  });

  it('re-joins kv lines and a kv header a paste wrapped in two (16)', () => {
    const m = read([
      '0:004> ~~[1ff8]kv',
      'Child-SP          RetAddr           : Args to',
      'Child                                                           : Call Site',
      '00000000`053ff398 00000000`77b9cf88 : 00000000`00000145 00000000`00000001',
      'fffff1f0`00000001 0000002e`0000000f : ntdll!NtWaitForSingleObject+0xa',
      '00000000`053ff3a0 00000000`77b9ce82 : 001e0003`00000000 ffffffff`ffffffff',
      '00000000`ffffffff 00000000`003d4ec8 : ntdll!RtlpWaitOnCriticalSection+0xe8',
    ]);
    const t = m.threads.find((x) => x.id === 0x1ff8)!;
    expect(t.frames.map((f) => [f.symbol, f.args?.length])).toEqual([
      ['NtWaitForSingleObject', 4],
      ['RtlpWaitOnCriticalSection', 4],
    ]);
  });

  it('a frame cut inside its source group keeps its call site (08)', () => {
    const m = read([
      '0:007> k',
      ' # Child-SP          RetAddr               Call Site',
      '09 000000a6`4d0fe710 00007fff`adaabe99     ntdll!RtlRaiseException+0x163 [minkernel\\ntos\\rtl\\amd64\\rai',
    ]);
    expect(m.threads[0]!.frames[0]).toMatchObject({ module: 'ntdll', symbol: 'RtlRaiseException', offset: '0x163' });
  });

  it('a frame line the paste cut says so, and the frames around it stay (10, 20)', () => {
    const lost = (m: ReturnType<typeof read>) => m.warnings.filter((w) => w.kind === 'text-truncated').map((w) => w.message);
    // 10 ends inside a frame ("04 0196f764 009a4558 ntdll" and no more), here renumbered 02.
    const end = read(['0:000> kn', ' # ChildEBP RetAddr  ', '00 0196f654 77dd1aec ntdll!RtlpBreakPointHeap+0x20', '01 0196f670 77e1ce7b ntdll!RtlpValidateHeapEntry+0x169', '02 0196f764 009a4558 ntdll']);
    expect(end.threads[0]!.frames).toHaveLength(2);
    expect(lost(end)).toEqual(['a stack in the text is incomplete: frame 02 could not be read (the line is cut or damaged: "02 0196f764 009a4558 ntdll")']);
    // 20's frames, one line broken after its return address column (a lone first half is
    // otherwise kept for a wrapped kv line), and one left out: the rest are read on.
    const middle = read([
      '   0  Id: c10.18a0 Suspend: 1 Teb: 000007ff`fffdd000 Unfrozen',
      ' # Child-SP          RetAddr           Call Site',
      '00 00000000`0014af18 000007fe`fcef1430 0xc0972dc2',
      '01 00000000`0014af20 00000000`76d71733 KERNELBASE!WaitForMultipleObjectsEx+0xe8',
      '02 00000000`0014b020 00000000`',
      '03 00000000`0014b0b0 00000000`76deb7d7 kernel32!WerpReportFaultInternal+0x215',
      '05 00000000`0014b180 00000000`76deba4c kernel32!BasepReportFault+0x1f',
    ]);
    expect(middle.threads[0]!.frames.map((f) => f.symbol)).toEqual([null, 'WaitForMultipleObjectsEx', 'WerpReportFaultInternal', 'BasepReportFault']);
    expect(lost(middle)).toEqual([
      'a stack in the text is incomplete: frame 02 could not be read (the line is cut or damaged: "02 00000000`0014b020 00000000")',
      'a stack in the text is incomplete: frame 04 is not in the text (the frame numbers skip from 03 to 05)',
    ]);
    // A whole stack, numbered without a gap, says nothing.
    expect(lost(read(['0:000> kn', ' # ChildEBP RetAddr  ', '00 0196f654 77dd1aec ntdll!RtlpBreakPointHeap+0x20', '01 0196f670 77e1ce7b ntdll!RtlpValidateHeapEntry+0x169']))).toEqual([]);
  });

  it('a thread named only by id (`~~[1ff8]k`) has no debugger number to show (16)', () => {
    const m = read(['0:004> ~~[1ff8]k', 'Child-SP          RetAddr           Call Site', '00000000`053ff398 00000000`77b9cf88 ntdll!NtWaitForSingleObject+0xa']);
    expect(m.threads[0]).toMatchObject({ id: 0x1ff8, unidentified: 'number' });
  });

  it('keeps a stack open across a blank line inside it (04)', () => {
    const m = read([
      '0:024> kb',
      '',
      'ChildEBP RetAddr  Args to Child',
      '0569fdc0 5fedf678 0569ff18 0031c200 0335ee88 winsrv!_DoWriteConsole+0x104',
      '',
      '0569fefc 5fe6311b 0569ff18 0569ffd0 00000005 winsrv!_SrvWriteConsole+0x96',
      '0569fff4 00000000 00000000 00000024 00000024 csrsrv!_CsrApiRequestThread+0x4ff ',
    ]);
    expect(m.threads[0]!.frames).toHaveLength(3);
  });

  it('reads "Teb" without its colon in old thread headers (01)', () => {
    expect(parseThreadHeader('. 2  id: 570.598   Suspend: 1 Teb 7ffdc000 Unfrozen')).toMatchObject({ marker: '.', ordinal: 2, tid: 0x598, teb: 0x7ffdc000n, frozen: false });
    expect(parseStackHeader('Child\\-SP          RetAddr           : Args to'.replace('\\', ''))).toMatchObject({ wrapped: true, args: true });
  });
});

describe('4. heap manager reports', () => {
  it('parses HEAP[…], VERIFIER STOP and page heap lines (05, 06, 10)', () => {
    expect(parseHeapLine('HEAP[malloc.exe]: Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )')).toEqual({ kind: 'heap', image: 'malloc.exe', text: 'Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )' });
    expect(parseHeapLine('VERIFIER STOP 00000008: pid 0xAA0: corrupted suffix pattern')).toEqual({ kind: 'verifier', code: 8, pid: 0xaa0, text: 'corrupted suffix pattern' });
    expect(parseHeapLine('Page heap: process 0x5BC created heap @ 00880000 (00980000, flags 0x3)')).toEqual({ kind: 'page-heap', pid: 0x5bc });
  });

  it('puts them in the model as annotations, the break after them as the exception (10)', () => {
    const m = read([
      '0:000> g',
      'HEAP[malloc.exe]: Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )',
      '(c50.8d4): Break instruction exception - code 80000003 (first chance)',
      'eax=01d405b0 ebx=01d405b0 ecx=77da720e edx=0196f501 esi=01a80000 edi=01d405b0',
      'eip=77e1c067 esp=0196f654 ebp=0196f654 iopl=0         nv up ei pl nz na po nc',
      'cs=0023  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00000202',
      'ntdll!RtlpBreakPointHeap+0x20:',
      '77e1c067 cc              int     3',
    ]);
    expect(m.annotations['HEAP_ERROR']).toBe('Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )');
    expect(m.exception).toMatchObject({ code: '0x80000003', chance: 'first', module: 'ntdll', symbol: 'RtlpBreakPointHeap', address: '0x77e1c067' });
  });
});

describe('5. the faulting address from the faulting instruction', () => {
  it('reads the operand, the ds: address and whether it could be read', () => {
    expect(memoryAccess('mov     rax,qword ptr [rdx+10h] ds:00000000`00000010=????????????????')).toEqual({ kind: 'read', address: 0x10n, unreadable: true });
    expect(memoryAccess('mov     [eax+0x101],bl          ds:0023:00c87001=??')).toEqual({ kind: 'write', address: 0xc87001n, unreadable: true });
    expect(memoryAccess('cmp     [eax+0x58],ecx    ds:0023:7f504da8=000000f8')).toEqual({ kind: 'read', address: 0x7f504da8n, unreadable: false });
    expect(memoryAccess('inc     dword ptr [eax+8] ds:0023:00000008=????????')).toMatchObject({ kind: 'read' });
    // No ds: part: the registers give the address.
    expect(memoryAccess('mov     qword ptr [rbx+20h],rsi', new Map([['rbx', 0n]]))).toEqual({ kind: 'write', address: 0x20n, unreadable: false });
    expect(memoryAccess('mov     eax,dword ptr [ecx+edx*4-8]', new Map([['ecx', 0x1000n], ['edx', 2n]]), 32)).toMatchObject({ address: 0x1000n });
    expect(memoryAccess('ret')).toBeNull();
  });

  it('an access violation without parameters takes its access from the instruction and registers (06)', () => {
    const m = read([
      'Access violation - code c0000005 (first chance)',
      'Access violation - code c0000005 (!!! second chance !!!)',
      'eax=00c86f00 ebx=00000000 ecx=77fbd80f edx=00c85000 esi=00c80000 edi=00c16fd0',
      'eip=01001398 esp=0006ff2c ebp=0006ff4c iopl=0         nv up ei pl nz na po nc',
      'pheap-buggy!TestCorruptAfterEnd+1f:',
      '01001398 889801010000     mov     [eax+0x101],bl          ds:0023:00c87001=??',
      '',
      'ChildEBP RetAddr  Args to Child',
      '0006ff3c 01001450 00000000 00000001 0006ffc0 pheap-buggy!TestCorruptAfterEnd+0x1f [d:\\nttest\\pheap-buggy.cxx @ 184]',
    ]);
    expect(m.exception).toMatchObject({ code: '0xc0000005', chance: 'second', address: '0x1001398', access: { kind: 'write', address: '0xc87001' }, module: 'pheap-buggy', symbol: 'TestCorruptAfterEnd', threadId: null });
    const t = m.threads[0]!;
    expect(t).toMatchObject({ unidentified: 'id-and-number', faulting: true, registers: { eax: '0xc86f00' } });
    expect(t.frames[0]).toMatchObject({ address: '0x1001398' });
  });

  it('with no exception line, an unreadable operand at the stop is an inferred access violation (13)', () => {
    const m = read([
      'coreclr!LoaderAllocator::SetHandleValue+0xb2:',
      '00007ffa`1060ead2 488b4210        mov     rax,qword ptr [rdx+10h] ds:00000000`00000010=????????????????',
      '0:029> k',
      ' # Child-SP          RetAddr               Call Site',
      '00 000000d6`ebbff9d0 00007ffa`1060dc2e     coreclr!LoaderAllocator::SetHandleValue+0xb2',
    ]);
    expect(m.exception).toMatchObject({ code: '0xc0000005', inferred: true, chance: null, address: '0x7ffa1060ead2', access: { kind: 'read', address: '0x10' } });
    expect(m.threads[0]).toMatchObject({ ordinal: 29, faulting: true });
  });

  it('a readable operand proves nothing: no exception (04, `~6s`)', () => {
    const m = read(['winsrv!_PtiFromThreadId+0xd:', '5fe8429a 394858           cmp     [eax+0x58],ecx    ds:0023:7f504da8=000000f8', '0:006> kb']);
    expect(m.exception).toBeNull();
  });

  it('says unknown, never 0x0, when nothing gives the address (21)', () => {
    const m = read([
      'This dump file has an exception of interest stored in it.',
      '(874.1378): Access violation - code c0000005 (first/second chance not available)',
      'fluent_bit!write_text_ansi_nolock+0x72:',
      '00007ff6`dfaa4',
    ]);
    expect(m.exception).toMatchObject({ address: null, access: null, module: 'fluent_bit', symbol: 'write_text_ansi_nolock', threadId: 0x1378 });
    expect(m.missing).toContain('exception address');
  });
});

describe('6. first chance is not uncaught', () => {
  it('first, second, not available, and what procdump\'s comment says (21)', () => {
    expect(read(['(1.2): Access violation - code c0000005 (first chance)']).exception?.chance).toBe('first');
    expect(read(['(1.2): Access violation - code c0000005 (!!! second chance !!!)']).exception?.chance).toBe('second');
    expect(read(['(1.2): Access violation - code c0000005 (first/second chance not available)']).exception?.chance).toBeNull();
    const m = read([
      "Comment: '",
      '*** "C:\\PharosSystems\\SysinternalsSuite\\procdump64.exe" -ma -e fluent-bit.exe',
      "*** Unhandled exception: C0000005.ACCESS_VIOLATION'",
      '(874.1378): Access violation - code c0000005 (first/second chance not available)',
    ]);
    expect(m.exception?.chance).toBe('second');
  });
});

describe('7. !cs output', () => {
  it('reads !cs fields with 16-digit owners, and !locks lines with notes after them (16, 04)', () => {
    expect(parseLockLine('Critical section   = 0x00000000003d9730 (+0x3D9730)')).toEqual({ kind: 'section', address: 0x3d9730n, name: null });
    expect(parseLockLine('OwningThread       = 0x0000000000001ff8')).toEqual({ kind: 'field', field: 'OwningThread', value: '0x0000000000001ff8' });
    expect(parseLockCount('0x0000000000001ff8')).toBe(0x1ff8);
    expect(parseLockLine('CritSec winsrv!_ScrollBufferLock at 5ffa9f9c        5ffa9f9c is the first one ')).toEqual({ kind: 'section', address: 0x5ffa9f9cn, name: 'winsrv!_ScrollBufferLock' });
    expect(parseLockLine("OwningThread       88         // here's the owning thread ID ")).toEqual({ kind: 'field', field: 'OwningThread', value: '88' });
  });

  it('an escaped !cs paste gives the lock and its owner (16)', () => {
    const m = read([
      '0&#8203;:004> \\!cs 00000000003d9730',
      '',
      '---',
      'Critical section   = 0x00000000003d9730 \\(\\+0x3D9730\\)',
      'DebugInfo          = 0x00000000000e2f80',
      'LOCKED',
      'LockCount          = 0x3',
      'OwningThread       = 0x0000000000001ff8',
    ]);
    expect(m.locks).toEqual([{ address: '0x3d9730', name: null, ownerThreadId: 0x1ff8, lockCount: 3, recursionCount: null, contention: null }]);
  });
});

describe('10. the smaller ones', () => {
  it('PROCESS_NAME keeps its spaces', () => {
    expect(read(['PROCESS_NAME:  Falcon BMS.exe', 'EXCEPTION_CODE_STR:  c0000005']).process.name).toBe('Falcon BMS.exe');
  });

  it('a kernel analysis pasted without its banner or kd> prompt is refused as kernel output', () => {
    let err: unknown;
    try {
      read([
        'STACK_TEXT:  ',
        'ffffc380`5e3f7328 fffff802`4a60c169     : 00000000`0000000a 00000000`00000000 00000000`00000002 00000000`00000000 : nt!KeBugCheckEx',
        'ffffc380`5e3f7330 fffff802`4a608469     : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : nt!KiBugCheckDispatch+0x69',
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DumpError);
    expect((err as DumpError).kind).toBe('unsupported');
    expect((err as DumpError).message).toMatch(/kernel debugger output/);
  });
});
