import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';

function read(name: string) {
  const text = readFileSync(new URL(`../../../fixtures/windbg/${name}`, import.meta.url), 'utf8');
  const model = readWindbgText(text, name);
  DumpModel.parse(model);
  return model;
}

describe('x64 live session: write AV, modern !analyze -v, ~*kn, lm', () => {
  const m = read('x64-access-violation.txt');

  it('decodes the access violation from the exception record', () => {
    expect(m.exception).toMatchObject({
      code: '0xc0000005',
      name: 'STATUS_ACCESS_VIOLATION',
      address: '0x7ff64d2a1a5d',
      flags: '0x0',
      parameters: ['0x1', '0x10'],
      access: { kind: 'write', address: '0x10' },
      threadId: 0x1b30,
      module: 'CrashDemo',
      symbol: 'Widget::Paint',
    });
    expect(m.exception!.description).toMatch(/access violation/i);
    expect(m.process).toMatchObject({ pid: 0x1a2c, name: 'CrashDemo.exe', bitness: 64, wow64: false });
    expect(m.system.arch).toBe('amd64');
  });

  it('reads the KEY_VALUES pairs and the plain keys', () => {
    expect(m.annotations).toMatchObject({
      'AV.Type': 'Write',
      'Failure.Bucket': 'NULL_CLASS_PTR_WRITE_c0000005_CrashDemo.exe!Widget::Paint',
      WRITE_ADDRESS: '0000000000000010',
      EXCEPTION_CODE_STR: 'c0000005',
      SYMBOL_NAME: 'CrashDemo!Widget::Paint+2d',
      FAULTING_SOURCE_LINE_NUMBER: '41',
      OS_VERSION: '10.0.22621.1',
    });
    expect(m.annotations['STACK_TEXT']).toBeUndefined();
  });

  it('keeps the ~*kn stack (with inline frames) over the shorter STACK_TEXT', () => {
    const t0 = m.threads[0]!;
    expect(t0.faulting).toBe(true);
    expect(t0.frames.map((f) => f.symbol)).toEqual([
      'Widget::Paint',
      'Window::Redraw',
      'RunLoop',
      'main',
      'invoke_main',
      '__scrt_common_main_seh',
      'BaseThreadInitThunk',
      'RtlUserThreadStart',
    ]);
    expect(t0.frames[0]).toMatchObject({ address: '0x7ff64d2a1a5d', sp: '0xa15c4ff6c0', retAddr: '0x7ff64d2a1b32' });
    expect(t0.frames[0]!.note).toBeUndefined();
    // An inline frame runs at its caller's return address and has no stack pointer of its own.
    expect(t0.frames[2]).toMatchObject({ sp: null, retAddr: null, address: '0x7ff64d2a1c08', note: 'inline frame' });
    expect(t0.frames[3]!.address).toBe('0x7ff64d2a1c08');
    expect(m.threads.map((t) => t.id)).toEqual([0x1b30, 0x2d40, 0xf18]);
    expect(m.threads[1]!.frames[0]!.note).toMatch(/not printed/);
  });

  it('reads lm rows with symbol status and store paths', () => {
    expect(m.modules.map((x) => x.name)).toEqual(['CrashDemo', 'IMM32', 'KERNELBASE', 'KERNEL32', 'ntdll']);
    expect(m.modules[0]).toMatchObject({ base: '0x7ff64d2a0000', size: '0x27000', path: null, pdb: null });
    expect(m.modules[4]).toMatchObject({
      base: '0x7ffc9b8b0000',
      size: '0x1f8000',
      pdb: { name: 'ntdll.pdb', id: '1EB9FACB04EA273BB24BA52C5B2E7CC51' },
    });
    expect(m.missing).not.toContain('modules');
    expect(m.missing).toContain('os version');
  });
});

describe('x86 dump: kb with arguments and .exr -1', () => {
  const m = read('x86-access-violation-kb.txt');

  it('reads a 32-bit Windows 7 target', () => {
    expect(m.system).toMatchObject({ arch: 'x86', os: 'Windows 7 Version 7601 (Service Pack 1)', version: '6.1.7601', cpuCount: 2, uptimeSeconds: null });
    expect(m.process).toMatchObject({ pid: 0xf0c, bitness: 32, wow64: false, uptimeSeconds: 197 });
    expect(m.dump).toMatchObject({ fullMemory: false, description: 'User Mini Dump File', time: '2011-04-23T15:32:08.000+02:00' });
    expect(m.annotations['DEBUGGER_VERSION']).toBe('6.12.0002.633 X86');
  });

  it('decodes the NULL-ish read from .exr -1', () => {
    expect(m.exception).toMatchObject({
      code: '0xc0000005',
      address: '0x40114e',
      parameters: ['0x0', '0x4'],
      access: { kind: 'read', address: '0x4' },
      module: 'LegacyApp',
      symbol: 'Parser::ReadToken',
      threadId: 0xe58,
    });
  });

  it('gives the header-less kb stack to the event thread', () => {
    expect(m.threads).toHaveLength(1);
    const t = m.threads[0]!;
    expect(t).toMatchObject({ id: 0xe58, faulting: true, teb: null });
    expect(t.frames).toHaveLength(7);
    expect(t.frames[0]).toMatchObject({
      address: '0x40114e',
      sp: '0x12fe4c',
      retAddr: '0x4011d3',
      args: ['0x12fe70', '0x0', '0x345e20'],
      module: 'LegacyApp',
      symbol: 'Parser::ReadToken',
      offset: '0x1e',
    });
    expect(t.frames[6]).toMatchObject({ address: '0x77c8374e', module: 'ntdll', symbol: '_RtlUserThreadStart', offset: '0x1b' });
    expect(m.missing).toEqual(expect.arrayContaining(['thread list', 'modules']));
  });
});

describe('e-mail reply quoting WinDbg output', () => {
  const m = read('stack-overflow-email-quoted.txt');

  it('reads through the quoting and the prose', () => {
    expect(m.system).toMatchObject({ arch: 'amd64', os: 'Windows 8.1 Version 9600', version: '6.3.9600', cpuCount: 4 });
    expect(m.dump).toMatchObject({ writer: 'procdump', comment: '*** procdump  -ma -e 1 ReportSvc.exe', time: '2017-03-13T23:15:02.000+01:00' });
    expect(m.system.uptimeSeconds).toBeCloseTo(41 * 86400 + 7 * 3600 + 2 * 60 + 55.312, 3);
    expect(m.process.uptimeSeconds).toBe(2 * 3600 + 11 * 60 + 40);
  });

  it('names the stack overflow and its thread', () => {
    expect(m.exception).toMatchObject({
      code: '0xc00000fd',
      name: 'STATUS_STACK_OVERFLOW',
      threadId: 0x1f20,
      address: '0x7ffa1b3c2a3a',
      module: 'ntdll',
      symbol: 'RtlpAllocateHeapInternal',
    });
    const t = m.threads.find((x) => x.id === 0x1f20)!;
    expect(t).toMatchObject({ ordinal: 12, faulting: true, teb: '0x7ff7ffb5e000' });
    expect(t.frames).toHaveLength(10);
    expect(t.frames[0]!.address).toBe('0x7ffa1b3c2a3a');
    expect(t.frames.filter((f) => f.symbol === 'TemplateExpander::Expand')).toHaveLength(4);
    expect(m.threads.map((x) => x.id)).toEqual([0x1f20, 0xa10, 0xb3c]);
    expect(m.threads[1]!.frames).toEqual([]);
    expect(m.threads[1]!.framesNote).toMatch(/no native stack/);
  });
});

describe('x86 ~*kv with FPO data', () => {
  const m = read('x86-heap-corruption-kv.txt');

  it('reads the kv columns and keeps FPO text out of the symbol', () => {
    expect(m.system.arch).toBe('x86');
    expect(m.process).toMatchObject({ pid: 0x1d8c, bitness: 32 });
    const t0 = m.threads[0]!;
    expect(t0.frames).toHaveLength(12);
    expect(t0.frames[0]).toMatchObject({
      module: 'ntdll',
      symbol: 'RtlReportCriticalFailure',
      offset: '0x29',
      args: ['0xc0000374', '0x77d74270', '0x16f0e8'],
    });
    expect(t0.frames[5]).toMatchObject({ module: 'kernel32', symbol: 'HeapFree', address: '0x77b914dd' });
    expect(t0.frames[7]).toMatchObject({ module: 'Inventory', symbol: null, offset: '0x1a46' });
    expect(t0.frames[7]!.note).toMatch(/Stack unwind information not available/);
    expect(m.threads[1]!.frames.map((f) => f.symbol)).toEqual([
      'NtWaitForMultipleObjects',
      'TppWaiterpThread',
      'BaseThreadInitThunk',
      '__RtlUserThreadStart',
      '_RtlUserThreadStart',
    ]);
  });

  it('marks no thread as faulting when the text shows no exception', () => {
    // The '.' marker is only the debugger's current thread; with no exception, nothing faulted.
    expect(m.threads.map((t) => t.faulting)).toEqual([false, false]);
    expect(m.exception).toBeNull();
    expect(m.missing).toEqual(expect.arrayContaining(['exception', 'os version', 'modules']));
  });
});

describe('CDB session with a C++ exception', () => {
  const m = read('cpp-exception-cdb-session.txt');

  it('reads the modern banner', () => {
    expect(m.system).toMatchObject({ os: 'Windows 10 Version 19045', version: '10.0.19045', build: 19045, cpuCount: 8, arch: 'amd64' });
    expect(m.annotations['BUILD_LAB']).toBe('19041.1.amd64fre.vb_release.191206-1406');
    expect(m.annotations['DEBUGGER_VERSION']).toBe('10.0.22621.2428 AMD64');
    expect(m.system.uptimeSeconds).toBeCloseTo(2 * 86400 + 4 * 3600 + 11 * 60 + 5.765, 3);
  });

  it('describes the C++ EH exception and its decoded type', () => {
    expect(m.exception).toMatchObject({
      code: '0xe06d7363',
      flags: '0x81',
      parameters: ['0x19930520', '0x8e6ddfea40', '0x7ff76a21c8d8', '0x7ff76a1a0000'],
      threadId: 0x2a1c,
      module: 'KERNELBASE',
      symbol: 'RaiseException',
    });
    expect(m.exception!.description).toContain('C++ exception (Microsoft C++ EH)');
    expect(m.annotations['EXCEPTION_CXX_TYPE']).toBe('class std::runtime_error');
    expect(m.annotations['EXCEPTION_CXX_MESSAGE']).toBe('tile 14 is out of range');
  });

  it('takes the # (event) thread as faulting even after ~0s', () => {
    expect(m.threads.map((t) => [t.id, t.ordinal, t.name, t.frozen, t.faulting])).toEqual([
      [0x3b10, 0, 'Main', false, false],
      [0x1c04, 1, null, false, false],
      [0x0ef0, 2, 'Thumbnail loader', true, false],
      [0x2a1c, 5, 'Exporter', false, true],
    ]);
    expect(m.threads[2]!.suspendCount).toBe(1);
  });

  it('reads kp call sites without their argument lists', () => {
    const f = m.threads[3]!.frames;
    expect(f).toHaveLength(7);
    expect(f[0]).toMatchObject({ module: 'KERNELBASE', symbol: 'RaiseException', offset: '0x6c', address: '0x7ffc1e2acf19' });
    expect(f[2]).toMatchObject({ module: 'PhotoTool', symbol: 'Exporter::WriteTile', offset: '0x1a5', address: '0x7ff76a1d3b85' });
    expect(f[3]).toMatchObject({ symbol: 'Exporter::Run', offset: '0x120' });
  });
});

describe('lmv of a WOW64 process', () => {
  const m = read('lmv-wow64-listing.txt');

  it('reads image names, paths, versions and link times', () => {
    expect(m.modules.map((x) => x.name)).toEqual(['Updater.exe', 'KERNEL32.DLL', 'ntdll.dll', 'wow64.dll', 'wow64cpu.dll', 'ntdll.dll']);
    expect(m.modules[0]).toMatchObject({
      path: 'C:\\Program Files (x86)\\Contoso\\Updater\\Updater.exe',
      base: '0xc20000',
      size: '0x3e000',
      version: '3.4.1.207',
      timestamp: '2023-06-15T09:03:08.000Z',
    });
    // A reproducible build prints a hash where the time would be.
    expect(m.modules[1]).toMatchObject({ timestamp: null, version: '10.0.19041.3636', x86: true });
    expect(m.modules[2]).toMatchObject({ pdb: { name: 'wntdll.pdb', id: '9C2A1DC9E6B24C5F8C0C1E5B2F3A0D7E1' }, x86: true });
    expect(m.modules[5]!.x86).toBeUndefined();
    expect(m.process.name).toBe('Updater.exe');
  });

  it('lists unloaded modules apart', () => {
    expect(m.unloadedModules).toEqual([
      expect.objectContaining({ name: 'dwmapi.dll', base: '0x71b10000', size: '0x1a000', unloaded: true }),
      expect.objectContaining({ name: 'uxtheme.dll', base: '0x6f520000', size: '0x7c000', unloaded: true }),
    ]);
  });

  it('infers a WOW64 process from wow64.dll and says its x86 stacks are missing', () => {
    expect(m.system.arch).toBe('amd64');
    expect(m.process).toMatchObject({ wow64: true, bitness: 32 });
    expect(m.missing).toEqual(expect.arrayContaining(['x86 stacks', 'thread list', 'exception']));
  });
});
