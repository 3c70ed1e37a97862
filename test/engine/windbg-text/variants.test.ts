// Output variants real sessions produce, one log each (fixtures/windbg/variants/README.md):
// debugger generations, stack command flavours, symbol-loading chatter, session commands,
// WOW64 mode switches and kernel output pasted by mistake.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';

const text = (name: string) => readFileSync(new URL(`../../../fixtures/windbg/variants/${name}`, import.meta.url), 'utf8');

function read(name: string, transform: (t: string) => string = (t) => t) {
  const model = readWindbgText(transform(text(name)), name);
  DumpModel.parse(model);
  return model;
}

const thread = (m: DumpModel, id: number) => m.threads.find((t) => t.id === id)!;

describe('new WinDbg !analyze -v of a WER dump (KEY_VALUES, CONTEXT, STACK_TEXT without numbers)', () => {
  const m = read('preview-analyze-x64.txt');

  it('reads the exception record, not the wait the thread sat in when the dump was written', () => {
    expect(m.exception).toMatchObject({
      code: '0xc0000005',
      address: '0x7ff7a1c23d4e',
      module: 'Viewer',
      symbol: 'Renderer::DrawLayer',
      threadId: 0x49a0,
      parameters: ['0x0', '0x18'],
      access: { kind: 'read', address: '0x18' },
    });
    expect(m.system).toMatchObject({ arch: 'amd64', os: 'Windows 10 Version 22631', cpuCount: 16 });
    expect(m.process).toMatchObject({ pid: 0x5bc4, name: 'Viewer.exe', bitness: 64, wow64: false });
    expect(m.missing).not.toContain('exception address');
  });

  it('keeps the new-style keys', () => {
    expect(m.annotations).toMatchObject({
      OSPLATFORM_TYPE: 'x64',
      OSNAME: 'Windows 10',
      IMAGE_VERSION: '2.3.0.118',
      FAILURE_BUCKET_ID: 'NULL_CLASS_PTR_READ_c0000005_Viewer.exe!Renderer::DrawLayer',
      'AV.Fault': 'Read',
      FAULTING_SOURCE_LINE_NUMBER: '131',
    });
  });

  it('gives the CONTEXT registers to the faulting thread only', () => {
    const t = thread(m, 0x49a0);
    expect(t.registers).toMatchObject({ rip: '0x7ff7a1c23d4e', rsp: '0x9a7c3ff5f0', eflags: '0x10246', r8: '0x0' });
    expect(t.registers!['iopl']).toBeUndefined();
    expect(m.threads.filter((x) => x.registers).map((x) => x.id)).toEqual([0x49a0]);
    expect(m.missing).not.toContain('registers');
  });

  it('reads thread names and marks only the exception thread as faulting', () => {
    expect(m.threads.map((t) => [t.id, t.ordinal, t.name, t.faulting])).toEqual([
      [0x5bc8, 0, 'Main Thread', false],
      [0x3f10, 1, null, false],
      [0x49a0, 2, 'Renderer', true],
    ]);
  });

  it('names frame 0 from the label the debugger printed for the same function', () => {
    const f = thread(m, 0x49a0).frames;
    expect(f).toHaveLength(16);
    expect(f[0]).toMatchObject({ module: 'ntdll', symbol: 'NtWaitForMultipleObjects', offset: '0x14', address: '0x7ffc9b94d8f4' });
    expect(f[0]!.note).toBeUndefined();
    expect(f[11]).toMatchObject({ module: 'Viewer', symbol: 'Renderer::DrawLayer', address: '0x7ff7a1c23d4e', sp: '0x9a7c3ff5f0', retAddr: '0x7ff7a1c23f12' });
    // The main thread's frame 0 was never printed: "0x0" carries a note, it is not an address.
    expect(thread(m, 0x5bc8).frames[0]).toMatchObject({ address: '0x0', note: 'instruction pointer not printed by the debugger' });
  });
});

describe('x64 kn / kb / kcn with inline frames, source lines and templates', () => {
  const m = read('x64-kn-kb-kc-inline-source.txt');
  const t = () => thread(m, 0x1d70);

  it('takes the event label with its source line as the exception site', () => {
    expect(m.exception).toMatchObject({ code: '0xc0000005', address: '0x7ff65b2e1a92', module: 'Sketchpad', symbol: 'Canvas::FillSpan', threadId: 0x1d70 });
    expect(m.process.pid).toBe(0x2c3c);
  });

  it('keeps kb (arguments) over the equally long k and kc prints', () => {
    const f = t().frames;
    expect(f).toHaveLength(10);
    expect(f[0]).toMatchObject({
      address: '0x7ff65b2e1a92',
      sp: '0xd218cff5a0',
      retAddr: '0x7ff65b2e1c3d',
      offset: '0x22',
      args: ['0x40', '0x10', '0x1f42a6c3e80', '0x0'],
    });
    expect(f[1]).toMatchObject({ symbol: 'Canvas::FillRect', sp: null, retAddr: null, address: '0x7ff65b2e1c3d', note: 'inline frame' });
    expect(f[1]!.args).toBeUndefined();
    expect(f[3]).toMatchObject({ symbol: 'std::_Func_impl_no_alloc<<lambda_7d2e1f0a9c3b4e5d6f708192a3b4c5d6>,void,Tool &>::_Do_call', offset: '0x20' });
    expect(f[6]).toMatchObject({ symbol: 'invoke_main', address: '0x7ff65b2e5a04' });
    expect(f[9]).toMatchObject({ module: 'ntdll', symbol: 'RtlUserThreadStart', retAddr: '0x0' });
  });

  it('reads kc without inventing +0x0 offsets, and gives a ~1kc printed before the thread list to ~1', () => {
    const t1 = thread(m, 0xb84);
    expect(t1.frames.map((f) => [f.symbol, f.offset, f.sp])).toEqual([
      ['NtWaitForWorkViaWorkerFactory', null, null],
      ['TppWorkerThread', null, null],
      ['BaseThreadInitThunk', null, null],
      ['RtlUserThreadStart', null, null],
    ]);
    expect(m.warnings.map((w) => w.kind)).not.toContain('stack-thread-unknown');
    expect(m.threads.map((x) => x.faulting)).toEqual([true, false]);
  });
});

describe('x86 kP with multi-line arguments, kv with FPO and CONV', () => {
  it('joins kP argument lines into their frame', () => {
    const m = read('x86-kP-kv-live.txt', (t) => t.split('0:000> kv')[0]!);
    const f = m.threads[0]!.frames;
    expect(f.map((x) => [x.symbol, x.offset])).toEqual([
      ['Account::Post', '0x1e'],
      ['Journal::Replay', '0x49'],
      ['main', '0x63'],
      ['__tmainCRTStartup', '0x11a'],
      ['BaseThreadInitThunk', '0xe'],
      ['__RtlUserThreadStart', '0x70'],
      ['_RtlUserThreadStart', '0x1b'],
    ]);
    expect(f[2]).toMatchObject({ sp: '0x19fee4', retAddr: '0x40158a', address: '0x4012c3' });
  });

  it('reads kv with two info groups and its arguments, and the x86 registers', () => {
    const m = read('x86-kP-kv-live.txt');
    expect(m.system.arch).toBe('x86');
    expect(m.process).toMatchObject({ pid: 0x1e0c, bitness: 32 });
    expect(m.exception).toMatchObject({ address: '0x40104e', module: 'Ledger', symbol: 'Account::Post', threadId: 0x1f24 });
    const t = m.threads[0]!;
    expect(t.frames).toHaveLength(7);
    expect(t.frames[0]).toMatchObject({ address: '0x40104e', args: ['0x0', '0x0', '0x19fec4'], symbol: 'Account::Post' });
    expect(t.frames[4]).toMatchObject({ module: 'kernel32', symbol: 'BaseThreadInitThunk', args: ['0x7efde000', '0x5c8b2e41', '0x0'] });
    expect(t.registers).toMatchObject({ eip: '0x40104e', ebp: '0x19fe80', esp: '0x19fe70' });
  });

  it('lists the modules a live session reported with ModLoad', () => {
    const m = read('x86-kP-kv-live.txt');
    expect(m.modules.map((x) => [x.name, x.base, x.size, x.path])).toEqual([
      ['Ledger.exe', '0x400000', '0x1d000', null],
      ['ntdll.dll', '0x77c10000', '0x180000', null],
      ['kernel32.dll', '0x76f90000', '0x110000', 'C:\\Windows\\syswow64\\kernel32.dll'],
    ]);
    expect(m.process.name).toBe('Ledger.exe');
  });
});

describe('.NET and unloaded-module frames', () => {
  const m = read('managed-unloaded-frames.txt');

  it('places a frame in an unloaded module at its old base and names no module', () => {
    const f0 = m.threads[0]!.frames[0]!;
    expect(f0).toMatchObject({ module: null, symbol: null, offset: '0x1a2b', address: '0x7ffa1c2d1a2b', note: 'in the unloaded module PrintHook.dll' });
    expect(m.exception).toMatchObject({ address: '0x7ffa1c2d1a2b', module: null, symbol: null, access: { kind: 'execute', address: '0x7ffa1c2d1a2b' } });
    expect(m.unloadedModules.map((x) => x.name)).toEqual(['PrintHook.dll', 'mscms.dll']);
  });

  it('keeps JIT frames as bare addresses and managed symbols whole', () => {
    const f = m.threads[0]!.frames;
    expect(f).toHaveLength(14);
    expect(f[3]).toMatchObject({ module: null, symbol: null, address: '0x7ff9dc6f7a1e', note: 'Frame IP not in any known module. Following frames may be wrong.' });
    expect(f[6]).toMatchObject({ module: 'System_Private_CoreLib', symbol: 'System.Collections.Generic.Dictionary`2[System.__Canon,System.__Canon].FindValue', offset: '0x8a' });
    expect(f[8]).toMatchObject({ module: 'coreclr', symbol: 'CallDescrWorkerInternal' });
  });

  it('reads procdump\'s multi-line comment', () => {
    expect(m.dump).toMatchObject({
      writer: 'procdump',
      comment: '*** procdump  -ma -e 1 -x D:\\dumps PrintQueue.exe\n*** Unhandled exception: C0000005.ACCESS_VIOLATION',
    });
    expect(m.threads[0]).toMatchObject({ id: 0x3b18, ordinal: 17, faulting: true });
  });
});

describe('symbol-loading chatter inside a stack and lm', () => {
  const m = read('symbol-noise-x86.txt');

  it('does not cut the stack at *** ERROR, Unable to load image, DBGHELP or SYMSRV lines', () => {
    const f = m.threads[0]!.frames;
    expect(f).toHaveLength(12);
    expect(f[2]).toMatchObject({ module: 'ScanFilter', symbol: null, offset: '0x2e95', address: '0x6a3c2e95' });
    expect(f[3]).toMatchObject({ module: 'OrderEntry', symbol: 'ScanDialog::OnScan', address: '0x40283b' });
    expect(f[11]).toMatchObject({ module: 'kernel32', symbol: 'BaseProcessStart', offset: '0x23' });
    expect(f.every((x) => !x.note)).toBe(true);
  });

  it('reads the event instruction behind a symbol error line, and the whole lm', () => {
    expect(m.exception).toMatchObject({ address: '0x6a2b121f', module: 'ScanDrv', symbol: 'ScanGetStatus', threadId: 0xe14 });
    expect(m.threads[0]!.frames[0]!.address).toBe('0x6a2b121f');
    expect(m.modules.map((x) => x.name)).toEqual(['OrderEntry', 'ScanDrv.dll', 'ScanFilter', 'ScanUi.dll', 'kernel32', 'ntdll', 'USER32']);
  });
});

describe('session commands: |, vertarget, .lastevent, ~, ~*e k, !runaway, !gle, r', () => {
  const m = read('session-commands-x64.txt');

  it('reads the process from | and its times from vertarget', () => {
    expect(m.process).toMatchObject({ pid: 0x1f00, name: 'SyncAgent.exe', userSeconds: 41.875, kernelSeconds: 3.25, uptimeSeconds: 3910 });
  });

  it('takes the exception code and thread from .lastevent, and says its address is unknown', () => {
    expect(m.exception).toMatchObject({ code: '0xe0434352', name: 'EXCEPTION_COMPLUS', threadId: 0x1a30, address: null, module: null });
    expect(m.missing).toContain('exception address');
  });

  it('gives ~*e k stacks to the listed threads in order', () => {
    expect(m.threads.map((t) => [t.id, t.name, t.frozen, t.suspendCount, t.faulting, t.frames.length])).toEqual([
      [0x2214, 'Main', false, 0, false, 5],
      [0xaf8, null, false, 0, false, 4],
      [0x2e44, 'Watchdog', true, 1, false, 5],
      [0x1a30, '.NET TP Worker', false, 0, true, 14],
    ]);
    expect(thread(m, 0x2e44).frames[2]).toMatchObject({ symbol: 'Watchdog::Run' });
    expect(thread(m, 0x1a30).frames[10]).toMatchObject({ module: null, address: '0x7ffcccb1d4f3' });
  });

  it('reads !runaway times, !gle and the registers of `r` on ~3', () => {
    expect(thread(m, 0x2214).times).toEqual({ created: null, userSeconds: 38.109, kernelSeconds: 2.984 });
    expect(thread(m, 0xaf8).times).toEqual({ created: null, userSeconds: 0, kernelSeconds: 0.031 });
    expect(m.annotations['LAST_ERROR_VALUE']).toBe('(Win32) 0x2 (2) - The system cannot find the file specified.');
    expect(m.annotations['LAST_STATUS_VALUE']).toBe('(NTSTATUS) 0xc0000034 - Object Name not found.');
    const t = thread(m, 0x1a30);
    expect(t.registers).toMatchObject({ rip: '0x7ffd3b94d8f4', rsp: '0xa3f9e7d0f8' });
    // Its stack pointer is frame 0's Child-SP: rip is frame 0's instruction.
    expect(t.frames[0]).toMatchObject({ address: '0x7ffd3b94d8f4', sp: '0xa3f9e7d0f8' });
    expect(m.threads.filter((x) => x.registers).map((x) => x.id)).toEqual([0x1a30]);
  });
});

describe('WOW64 dump with !wow64exts.sw and .ecxr in the guest view', () => {
  const m = read('wow64-guest-mode-switch.txt');

  it('tells the 64-bit dump of a 32-bit process', () => {
    expect(m.system.arch).toBe('amd64');
    expect(m.process).toMatchObject({ pid: 0x2a94, wow64: true, bitness: 32, name: 'LegacyTray.exe' });
  });

  it('takes the .ecxr instruction as the fault, not the WOW64 syscall stub of the event', () => {
    expect(m.exception).toMatchObject({ code: '0xc0000094', address: '0xa4128d', module: 'LegacyTray', symbol: 'Meter::Percent', threadId: 0x2b00 });
  });

  it('keeps the native and the x86 views apart', () => {
    const t = m.threads[0]!;
    expect(t.frames.map((f) => f.module)).toEqual(['wow64cpu', 'wow64cpu', 'wow64cpu', 'wow64', 'wow64', 'ntdll', 'ntdll', 'ntdll', 'ntdll']);
    expect(t.frames[0]).toMatchObject({ address: '0x77b41cf4', sp: '0x71e598' });
    expect(t.x86Frames).toHaveLength(12);
    expect(t.x86Frames![0]).toMatchObject({ address: '0xa4128d', sp: '0x316f8a8', retAddr: '0xa41342', symbol: 'Meter::Percent', offset: '0xd' });
    expect(t.x86Frames![10]).toMatchObject({ module: 'ntdll_77bd0000', symbol: '__RtlUserThreadStart' });
    expect(t.x86Registers).toMatchObject({ eip: '0xa4128d', ecx: '0x0' });
    expect(t.registers).toBeUndefined();
  });

  it('reads lmf paths and marks the SysWOW64 images as 32-bit', () => {
    expect(m.modules.filter((x) => x.x86).map((x) => x.name)).toEqual(['KERNEL32.DLL', 'USER32.dll', 'ntdll.dll']);
    expect(m.modules[0]).toMatchObject({ name: 'LegacyTray.exe', base: '0xa40000', path: 'C:\\Program Files (x86)\\Contoso\\LegacyTray\\LegacyTray.exe' });
  });
});

describe('kernel debugger output', () => {
  it('refuses a kernel dump session as unsupported, not as a process', () => {
    let err: unknown;
    try {
      readWindbgText(text('kernel-bugcheck-paste.txt'), 'kernel-bugcheck-paste.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DumpError);
    expect((err as DumpError).kind).toBe('unsupported');
  });

  it('skips a kd> snippet after a user session instead of adding nt! frames to a thread', () => {
    const m = read('user-session-with-kd-snippet.txt');
    expect(m.threads).toHaveLength(1);
    expect(m.threads[0]!.frames.map((f) => f.module)).toEqual(['NetSvc', 'NetSvc', 'NetSvc', 'KERNEL32', 'ntdll']);
    expect(m.exception).toMatchObject({ code: '0xc0000005', threadId: 0xc9c });
    expect(m.process.pid).toBe(0x1774);
    expect(m.warnings).toContainEqual({ kind: 'kernel-output', message: expect.stringMatching(/^8 line\(s\) of kernel debugger/) });
  });
});

describe('a WER dump read with k only', () => {
  const m = read('wer-dump-no-exr.txt');

  it('does not take the thread\'s wait for the exception address', () => {
    expect(m.exception).toMatchObject({ code: '0xc0000374', name: 'STATUS_HEAP_CORRUPTION', address: null, module: null, symbol: null, threadId: 0x21f0 });
    expect(m.missing).toContain('exception address');
  });

  it('still names frame 0 of the stack from the event instruction', () => {
    const f = m.threads[0]!.frames;
    expect(f).toHaveLength(18);
    expect(f[0]).toMatchObject({ symbol: 'NtWaitForMultipleObjects', address: '0x7ffc9b94d8f4' });
    expect(f[12]).toMatchObject({ module: 'ucrtbase', symbol: '_free_base' });
  });
});

describe('a forum paste of the middle of an old !analyze -v', () => {
  it('reads the keys, the stack and the exception without a banner or prompt', () => {
    const m = read('analyze-partial-paste-x86.txt');
    expect(m.system.arch).toBe('x86');
    expect(m.exception).toMatchObject({ code: '0xc0000005', address: '0x40a3f2', access: { kind: 'write', address: '0x8' }, threadId: 0x17a4 });
    const f = m.threads[0]!.frames;
    expect(m.threads[0]).toMatchObject({ id: 0x17a4, faulting: true });
    expect(f).toHaveLength(6);
    expect(f[0]).toMatchObject({ address: '0x40a3f2', sp: '0x13fd4c', args: ['0x0', '0x13fdb0', '0x1'], symbol: 'CacheEntry::Release', offset: '0x12' });
    expect(m.annotations['DEFAULT_BUCKET_ID']).toBe('NULL_CLASS_PTR_WRITE');
  });

  it('falls back to FAULTING_IP when the exception record was left out', () => {
    const m = read('analyze-partial-paste-x86.txt', (t) => t.replace(/EXCEPTION_RECORD:[\s\S]*?Attempt to write to address 00000008\n/, ''));
    expect(m.exception).toMatchObject({ address: '0x40a3f2', module: 'DataSync', symbol: 'CacheEntry::Release', access: { kind: 'write', address: '0x8' } });
    expect(m.missing).not.toContain('exception address');
  });
});

describe('the faulting instruction’s bytes (model.faultBytes)', () => {
  const stop = (ip: string) =>
    [
      '(1a30.2c04): Illegal instruction - code c000001d (!!! second chance !!!)',
      'shapes!corners+0x1e:',
      `${ip} 0F0B            ud2`,
      '0:000> kc',
      ' # Call Site',
      '00 shapes!corners',
      '01 shapes!main',
    ].join('\n');

  it('takes the bytes the debugger printed under the event line, in lower case, as the code at the fault', () => {
    const model = readWindbgText(stop('00007ff6`9a2114ce'), 'ud2.txt');
    expect(model.exception).toMatchObject({ code: '0xc000001d', address: '0x7ff69a2114ce' });
    expect(model.faultBytes).toEqual({ code: '0f0b', stack: [] });
    expect(DumpModel.parse(model).faultBytes).toEqual({ code: '0f0b', stack: [] });
  });

  it('takes none of a paste of unknown CPU whose instruction is 4 bytes: an ARM64 word is not bytes in memory order', () => {
    const model = readWindbgText(stop('00007ff6`9a2114ce').replace('0F0B            ud2', 'F9400108        ldr x8,[x8]'), 'arm.txt');
    expect(model.system.arch).toBe('unknown');
    expect(model.exception?.address).toBe('0x7ff69a2114ce'); // the instruction was read, its bytes not kept
    expect(model.faultBytes).toBeUndefined();
  });

  it('takes none when the record puts the exception elsewhere', () => {
    const text = `${stop('00007ff6`9a2114ce')}\n0:000> .exr -1\nExceptionAddress: 00007ff69a2114d0 (shapes!corners+0x20)\n   ExceptionCode: c000001d (Illegal instruction)\n  ExceptionFlags: 00000000\nNumberParameters: 0\n`;
    const model = readWindbgText(text, 'moved.txt');
    expect(model.exception?.address).toBe('0x7ff69a2114d0');
    expect(model.faultBytes).toBeUndefined();
  });
});
