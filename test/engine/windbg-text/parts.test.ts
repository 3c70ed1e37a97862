import { describe, expect, it } from 'vitest';
import { parseBannerLine, parseSessionTime, parseUptime } from '../../../src/engine/windbg-text/banner.ts';
import { parseExceptionLine } from '../../../src/engine/windbg-text/exception-line.ts';
import { parseCallSite, parseFrameLine } from '../../../src/engine/windbg-text/frame-line.ts';
import { normaliseLine, splitLines } from '../../../src/engine/windbg-text/lines.ts';
import { moduleFromRow, parseModuleRow } from '../../../src/engine/windbg-text/module-list.ts';
import { effmachSwitch, parsePrompt } from '../../../src/engine/windbg-text/prompt.ts';
import { parseStackHeader, parseThreadHeader } from '../../../src/engine/windbg-text/thread-stacks.ts';

describe('lines', () => {
  it('strips e-mail quoting, NBSP and control noise', () => {
    expect(normaliseLine('> > 0:000> kb\r')).toBe('0:000> kb');
    expect(normaliseLine('>> Teb:\u00a000000000`7efdb000  ')).toBe('Teb: 00000000`7efdb000');
    expect(normaliseLine('ab\u0000c\u200bd')).toBe('abcd');
  });

  it('splits CRLF, LF and lone CR', () => {
    expect(splitLines('a\r\nb\nc\rd').lines).toEqual(['a', 'b', 'c', 'd']);
  });

  it('cuts long lines and stops at the line cap, with warnings', () => {
    const long = splitLines(`${'x'.repeat(100)}\nshort`, { maxLines: 10, maxLineLength: 16 });
    expect(long.lines).toEqual(['x'.repeat(16), 'short']);
    expect(long.warnings).toEqual([expect.objectContaining({ kind: 'line-too-long' })]);
    const many = splitLines('a\n'.repeat(50), { maxLines: 5, maxLineLength: 100 });
    expect(many.lines).toHaveLength(5);
    expect(many.warnings).toEqual([expect.objectContaining({ kind: 'text-truncated' })]);
  });
});

describe('prompts and .effmach', () => {
  it('reads user and kernel prompts', () => {
    expect(parsePrompt('0:000> ~*k')).toEqual({ process: 0, thread: 0, machine: null, kernel: false, command: '~*k' });
    expect(parsePrompt('0:012:x86> kb')).toMatchObject({ thread: 12, machine: 'x86', command: 'kb' });
    expect(parsePrompt('0:000>')).toMatchObject({ thread: 0, command: '' });
    expect(parsePrompt('kd> !analyze -v')).toMatchObject({ kernel: true, thread: null, command: '!analyze -v' });
    expect(parsePrompt('1: kd> k')).toMatchObject({ kernel: true, command: 'k' });
    expect(parsePrompt('C:\\dumps>cdb -z x.dmp')).toBeNull();
    expect(parsePrompt('Ratio 3:2> that')).toBeNull();
  });

  it('knows the effective-machine switches', () => {
    expect(effmachSwitch('.effmach x86')).toBe('x86');
    expect(effmachSwitch('.effmach .')).toBe('native');
    expect(effmachSwitch('Effective machine: x86 compatible (x86)')).toBe('x86');
    expect(effmachSwitch('Effective machine: x64 (AMD64)')).toBe('native');
    expect(effmachSwitch('.load wow64exts')).toBeNull();
  });
});

describe('banner', () => {
  it('reads old and new OS lines', () => {
    expect(parseBannerLine('Windows Server 2003 Version 3790 (Service Pack 2) MP (4 procs) Free x64')).toMatchObject({
      kind: 'os',
      version: '5.2.3790',
      servicePack: 'Service Pack 2',
      cpuCount: 4,
      arch: 'amd64',
    });
    expect(parseBannerLine('Windows 10 Version 19041 MP (8 procs) Free x64')).toMatchObject({ version: '10.0.19041', cpuCount: 8, servicePack: null });
    expect(parseBannerLine('Windows XP Version 2600 (Service Pack 3) UP Free x86 compatible')).toMatchObject({ arch: 'x86', cpuCount: 1, version: '5.1.2600' });
  });

  it('reads dump kinds, comment, times and overlaps', () => {
    expect(parseBannerLine('User Mini Dump File: Only registers, stack and portions of memory are available')).toMatchObject({
      kind: 'dump-type',
      description: 'User Mini Dump File',
      fullMemory: false,
    });
    expect(parseBannerLine("Comment: 'a ''quoted'' one'")).toEqual({ kind: 'comment', text: "a ''quoted'' one" });
    expect(parseBannerLine('Edition build lab: 19041.1.amd64fre.vb_release.191206-1406')).toMatchObject({ arch: 'amd64' });
    expect(parseBannerLine('WARNING: tsappcmp overlaps ws2_32')).toEqual({ kind: 'overlap', a: 'tsappcmp', b: 'ws2_32' });
    expect(parseBannerLine('WARNING: Frame IP not in any known module. Following frames may be wrong.')).toBeNull();
    expect(parseUptime('6 days 3:32:26.081')).toBeCloseTo(531146.081, 3);
    expect(parseUptime('not available')).toBeNull();
    expect(parseSessionTime('Tue Sep  4 13:36:14.000 2007 (GMT+2)')).toBe('2007-09-04T13:36:14.000+02:00');
    expect(parseSessionTime('Wed Mar 15 14:02:11.000 2023 (UTC - 5:00)')).toBe('2023-03-15T14:02:11.000-05:00');
  });
});

describe('event line', () => {
  it('reads pid, tid, code and chance', () => {
    expect(parseExceptionLine('(2088.2fe4): Unknown exception - code 000006d9 (first/second chance not available)')).toEqual({
      pid: 0x2088,
      tid: 0x2fe4,
      text: 'Unknown exception',
      code: 0x6d9,
      chance: null,
    });
    expect(parseExceptionLine('(1a2c.1b30): Access violation - code c0000005 (first chance)')).toMatchObject({ code: 0xc0000005, chance: 'first' });
    expect(parseExceptionLine('(1a2c.1b30): Security check failure or stack buffer overrun - code c0000409 (!!! second chance !!!)')).toMatchObject({
      code: 0xc0000409,
      chance: 'second',
    });
  });
});

describe('stack lines', () => {
  it('reads thread and column headers', () => {
    expect(parseThreadHeader('#  5  Id: 3784.2a1c Suspend: 0 Teb: 0000008e`6d2ab000 Frozen "Exporter"')).toEqual({
      marker: '#',
      ordinal: 5,
      pid: 0x3784,
      tid: 0x2a1c,
      suspend: 0,
      teb: 0x8e6d2ab000n,
      frozen: true,
      name: 'Exporter',
    });
    expect(parseStackHeader(' # Child-SP          RetAddr               Call Site')).toEqual({ layout: 'x64', args: false, numbered: true, callsOnly: false, wrapped: false });
    expect(parseStackHeader('ChildEBP RetAddr  Args to Child              ')).toEqual({ layout: 'x86', args: true, numbered: false, callsOnly: false, wrapped: false });
    expect(parseStackHeader('Child-SP          RetAddr           : Args to Child                                                           : Call Site')).toMatchObject({ args: true });
  });

  it('reads call sites', () => {
    expect(parseCallSite('module!Class::Method+0x13e')).toEqual({ module: 'module', symbol: 'Class::Method', offset: 0x13en, address: null });
    expect(parseCallSite('App+0x34aa0')).toEqual({ module: 'App', symbol: null, offset: 0x34aa0n, address: null });
    expect(parseCallSite('0x10007`00000000')).toEqual({ module: null, symbol: null, offset: null, address: 0x1000700000000n });
    expect(parseCallSite('kernel32!BaseProcessStartThunk')).toMatchObject({ offset: 0n });
    expect(parseCallSite('mov eax,dword ptr [esp+4]')).toBeNull();
  });

  it('reads x64 kb lines with colon columns and x86 kv lines', () => {
    const kb = parseFrameLine('00 000000c5`4f2ff6a0 00007ff6`1e2a10b9     : 00000000`00000001 00000000`00000002 00000000`00000003 00000000`00000004 : App!Crash+0x17');
    expect(kb).toMatchObject({ number: 0, sp: 0xc54f2ff6a0n, retAddr: 0x7ff61e2a10b9n, args: [1n, 2n, 3n, 4n], text: 'App!Crash+0x17' });
    const kv = parseFrameLine('0016f210 6f3fec51 00520000 00000000 0057a5f0 kernel32!HeapFree+0x14 (FPO: [3,0,0])');
    expect(kv).toMatchObject({ sp: 0x16f210n, args: [0x520000n, 0n, 0x57a5f0n], info: 'FPO: [3,0,0]', text: 'kernel32!HeapFree+0x14' });
    const src = parseFrameLine('02 0000008e`6ddfe930 00007ff7`6a1d2f40     PhotoTool!Exporter::WriteTile(class Tile * tile = 0x0000022b`4e8d1f30, int index = 0n14)+0x1a5 [C:\\src\\exporter.cpp @ 212]');
    expect(src).toMatchObject({ number: 2, text: 'PhotoTool!Exporter::WriteTile+0x1a5', source: 'C:\\src\\exporter.cpp @ 212' });
    const tmpl = parseFrameLine('0012f11c 7dab3a0e App!std::vector<int,std::allocator<int> >::push_back+0x10');
    expect(tmpl?.callSite.symbol).toBe('std::vector<int,std::allocator<int> >::push_back');
  });

  it('refuses disassembly, module rows and prose', () => {
    expect(parseFrameLine('00000000`6b006369 b001            mov     al,1')).toBeNull();
    expect(parseFrameLine('7d4e2366 8b442404        mov     eax,dword ptr [esp+4]')).toBeNull();
    expect(parseFrameLine('This is a clear indication that the process was 32-bit')).toBeNull();
    expect(parseFrameLine('00400000 0042d000   Prymes     C (pdb symbols)              Prymes.pdb')).toBeNull();
  });
});

describe('module rows', () => {
  it('reads lm rows with status letters', () => {
    expect(parseModuleRow('00400000 0042d000   Prymes     C (pdb symbols)              Prymes.pdb')).toMatchObject({
      start: 0x400000n,
      end: 0x42d000n,
      name: 'Prymes',
      symbols: 'pdb symbols',
      trailing: 'Prymes.pdb',
    });
    expect(parseModuleRow('77e80000 77f35000   KERNEL32     (export symbols)           C:\\WINNT\\system32\\KERNEL32.dll')).toMatchObject({
      symbols: 'export symbols',
      trailing: 'C:\\WINNT\\system32\\KERNEL32.dll',
    });
    expect(parseModuleRow('0012d98c 7da4a631 kernel32!RaiseException+0x53')).toMatchObject({ name: 'kernel32!RaiseException+0x53' });
  });

  it('takes the image name from lmn and the export-symbols column', () => {
    const lmn = parseModuleRow('00007ff6`4d2a0000 00007ff6`4d2c7000   CrashDemo CrashDemo.exe')!;
    expect(moduleFromRow(lmn, false)).toMatchObject({ name: 'CrashDemo.exe', path: null, base: '0x7ff64d2a0000', size: '0x27000' });
    const exp = parseModuleRow('77e80000 77f35000   KERNEL32     (export symbols)           C:\\WINNT\\system32\\KERNEL32.dll')!;
    expect(moduleFromRow(exp, false)).toMatchObject({ name: 'KERNEL32.dll', path: 'C:\\WINNT\\system32\\KERNEL32.dll' });
    const deferred = parseModuleRow('00000000`00400000 00000000`0046d000   App        (deferred)             ')!;
    expect(moduleFromRow(deferred, false)).toMatchObject({ name: 'App', path: null, version: null });
  });
});

describe('call sites, registers and session lines added for real-session variants', () => {
  it('keeps operator() and template parentheses, strips only the kp argument list', async () => {
    expect(parseFrameLine('0012f11c 7dab3a0e App!Filter::operator()+0x10')?.callSite.symbol).toBe('Filter::operator()');
    expect(parseFrameLine('0012f11c 7dab3a0e App!Filter::operator()(int x = 0n1)+0x10')?.callSite.symbol).toBe('Filter::operator()');
    expect(parseFrameLine('0012f11c 7dab3a0e App!Call<void (__cdecl*)(int)>::Run+0x10')?.callSite.symbol).toBe('Call<void (__cdecl*)(int)>::Run');
    expect(parseFrameLine('0012f11c 7dab3a0e App!Call<void (__cdecl*)(int)>::Run(int n = 0n2)+0x10')?.callSite.symbol).toBe('Call<void (__cdecl*)(int)>::Run');
    const { parseCallOnlyLine } = await import('../../../src/engine/windbg-text/frame-line.ts');
    expect(parseCallOnlyLine('03 KERNELBASE!WaitForSingleObjectEx')).toMatchObject({ number: 3, sp: null, callSite: { module: 'KERNELBASE', offset: null } });
    expect(parseCallOnlyLine('ntdll!RtlUserThreadStart+0x21')?.callSite.offset).toBe(0x21n);
    expect(parseCallOnlyLine('Any idea what this is?')).toBeNull();
  });

  it('reads register lines and refuses look-alikes', async () => {
    const { parseRegisterLine } = await import('../../../src/engine/windbg-text/registers.ts');
    expect(parseRegisterLine(' r8=0000000000000000  r9=0000000000000001 r10=0000000000000000')).toEqual(
      new Map([['r8', 0n], ['r9', 1n], ['r10', 0n]]),
    );
    expect(parseRegisterLine('cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00010246')?.get('eflags')).toBe(0x10246n);
    expect(parseRegisterLine('iopl=0         nv up ei pl zr na po nc')?.size).toBe(0);
    expect(parseRegisterLine('path=C:\\Windows')).toBeNull();
    expect(parseRegisterLine('rax=0 is what we saw')).toBeNull();
  });

  it('reads |, .lastevent, !runaway and !gle lines', async () => {
    const s = await import('../../../src/engine/windbg-text/session-lines.ts');
    expect(s.parseProcessLine('.  0\tid: 5bc4\texamine\tname: C:\\Apps\\Viewer.exe')).toEqual({ pid: 0x5bc4, image: 'C:\\Apps\\Viewer.exe', current: true });
    expect(s.parseLastEvent('Last event: 5bc4.49a0: Access violation - code c0000005 (first chance)')).toMatchObject({ pid: 0x5bc4, tid: 0x49a0, code: 0xc0000005, chance: 'first' });
    expect(s.parseLastEvent('Last event: 5bc4.49a0: Exit process 0:5bc4, code 0')).toBeNull();
    expect(s.parseRunawayRow('   3:1a30      0 days 0:00:02.671')).toEqual({ ordinal: 3, tid: 0x1a30, seconds: 2.671 });
    expect(s.parseLastError('LastErrorValue: (Win32) 0x5 (5) - Access is denied.')).toEqual({ key: 'LAST_ERROR_VALUE', value: '(Win32) 0x5 (5) - Access is denied.' });
    expect(s.parseWowSwitch('Switched to Guest (WoW) mode')).toBe('x86');
  });
});
