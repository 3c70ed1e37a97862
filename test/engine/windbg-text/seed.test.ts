import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/windbg/${name}`, import.meta.url), 'utf8');

describe('the virtualized-process seed (WOW64 dump, native then x86 view)', () => {
  const model = readWindbgText(fixture('virtualized-process-seed.txt'), 'virtualized-process-seed.txt');

  it('is a valid dump model', () => {
    expect(() => DumpModel.parse(model)).not.toThrow();
    expect(model.input).toMatchObject({ format: 'windbg-text', name: 'virtualized-process-seed.txt' });
    // Bytes, not UTF-16 units: the seed carries multi-byte non-breaking spaces.
    expect(model.input.size).toBe(statSync(new URL('../../../fixtures/windbg/virtualized-process-seed.txt', import.meta.url)).size);
  });

  it('reads the banner', () => {
    expect(model.system).toMatchObject({
      platform: 'windows',
      arch: 'amd64',
      os: 'Windows Server 2003 Version 3790 (Service Pack 2)',
      version: '5.2.3790',
      build: 3790,
      servicePack: 'Service Pack 2',
      cpuCount: 4,
      product: 'Server, suite: TerminalServer',
      uptimeSeconds: 6 * 86400 + 3 * 3600 + 32 * 60 + 26.081,
    });
    expect(model.dump).toMatchObject({
      fullMemory: true,
      description: 'User Mini Dump File with Full Memory',
      comment: 'Userdump generated complete user-mode minidump with Exception Monitor function on SERVER01',
      writer: 'userdump',
      time: '2007-09-04T13:36:14.000+02:00',
      manual: false,
    });
    expect(model.process.uptimeSeconds).toBe(114);
  });

  it('turns the 15 overlap warnings into model warnings', () => {
    const overlaps = model.warnings.filter((w) => w.kind === 'module-overlap');
    expect(overlaps).toHaveLength(15);
    expect(overlaps[0]!.message).toBe('tsappcmp overlaps ws2_32');
    expect(overlaps[14]!.message).toBe('davclnt overlaps apphelp');
  });

  it('sees a WOW64 process in a 64-bit dump', () => {
    expect(model.process).toMatchObject({ pid: 0x2088, wow64: true, bitness: 32 });
  });

  it('lists the five threads with their TEBs', () => {
    expect(model.threads.map((t) => t.id)).toEqual([0x2fe4, 0x280c, 0x1160, 0x2d04, 0x15c4]);
    expect(model.threads.map((t) => t.teb)).toEqual(['0x7efdb000', '0x7efd8000', '0x7efd5000', '0x7efad000', '0x7efa4000']);
    expect(model.threads.map((t) => t.ordinal)).toEqual([0, 1, 2, 3, 4]);
    expect(model.threads.every((t) => t.suspendCount === 1 && t.frozen === false)).toBe(true);
    expect(model.threads.filter((t) => t.faulting).map((t) => t.id)).toEqual([0x2fe4]);
  });

  it('reads the native stacks', () => {
    const t0 = model.threads[0]!;
    expect(t0.frames).toHaveLength(20);
    expect(t0.frames[0]).toMatchObject({
      index: 0,
      module: 'wow64',
      symbol: 'Wow64NotifyDebugger',
      offset: '0x9',
      sp: '0x16e190',
      retAddr: '0x6b0064f2',
      trust: 'text',
      // LAST_CONTROL_TRANSFER "from 6b0064f2 to 6b006369" names frame 0's own IP.
      address: '0x6b006369',
    });
    expect(t0.frames[1]).toMatchObject({ module: 'wow64', symbol: 'Wow64KiRaiseException', address: '0x6b0064f2' });
    expect(t0.frames[9]).toMatchObject({ module: 'kernel32', symbol: 'BaseProcessStartThunk', offset: '0x0' });
    expect(t0.frames[17]).toMatchObject({ module: null, symbol: null, address: '0x1000700000000' });
    expect(model.threads.map((t) => t.frames.length)).toEqual([20, 20, 20, 20, 20]);
    expect(model.threads[2]!.frames[0]).toMatchObject({ module: 'wow64win', symbol: 'ZwUserGetMessage', offset: '0xa' });
  });

  it('uses the longer x86 !analyze stack as the faulting thread x86 view', () => {
    const x86 = model.threads[0]!.x86Frames!;
    expect(x86).toHaveLength(57);
    expect(x86[0]).toMatchObject({
      module: 'kernel32',
      symbol: 'RaiseException',
      offset: '0x53',
      address: '0x7d4e2366',
      sp: '0x12d98c',
      args: ['0x6d9', '0x1', '0x0'],
    });
    expect(x86[4]).toMatchObject({ module: 'hnetcfg', symbol: 'FwOpenDynamicFwPort', offset: '0x1d' });
    expect(x86[7]).toMatchObject({ module: 'ws2_32', symbol: null, offset: '0x43db' });
    expect(x86[7]!.note).toMatch(/Frame IP not in any known module/);
    expect(x86[6]!.note).toBeUndefined();
    expect(x86[56]).toMatchObject({ module: 'App', symbol: null, offset: '0x188f3', address: '0x4188f3' });
    expect(x86.some((f) => f.module === 'rpcrt4' && f.symbol === 'IP_ADDRESS_RESOLVER::NextAddress')).toBe(true);
  });

  it('keeps the x86 ~*k stacks of the other threads', () => {
    const t1 = model.threads[1]!.x86Frames!;
    expect(t1.map((f) => `${f.module}!${f.symbol}`)).toEqual([
      'ntdll_7d600000!NtWaitForMultipleObjects',
      'ntdll_7d600000!EtwpWaitForMultipleObjectsEx',
      'ntdll_7d600000!EtwpEventPump',
      'kernel32!BaseThreadStart',
    ]);
    const t2 = model.threads[2]!.x86Frames!;
    expect(t2).toHaveLength(3);
    expect(t2[1]).toMatchObject({ module: 'App', offset: '0x2f13b' });
    expect(t2[1]!.note).toMatch(/Stack unwind information not available/);
    expect(model.threads.map((t) => t.x86Frames?.length)).toEqual([57, 4, 3, 3, 3]);
  });

  it('describes the exception with the endpoint-mapper error', () => {
    expect(model.exception).toMatchObject({
      code: '0x000006d9',
      name: 'EPT_S_NOT_REGISTERED',
      description: 'There are no more endpoints available from the endpoint mapper.',
      flags: '0x1',
      address: '0x7d4e2366',
      threadId: 0x2fe4,
      parameters: [],
      access: null,
      module: 'kernel32',
      symbol: 'RaiseException',
    });
  });

  it('keeps the !analyze fields as annotations, the x86 analysis winning', () => {
    expect(model.annotations).toMatchObject({
      SYMBOL_NAME: 'hnetcfg!FwOpenDynamicFwPort+1d',
      MODULE_NAME: 'hnetcfg',
      IMAGE_NAME: 'hnetcfg.dll',
      FAULTING_THREAD: '0000000000002fe4',
      FAILURE_BUCKET_ID: 'X64_6d9_hnetcfg!FwOpenDynamicFwPort+1d',
      BUCKET_ID: 'X64_6d9_hnetcfg!FwOpenDynamicFwPort+1d',
      FOLLOWUP_NAME: 'MachineOwner',
      ERROR_CODE: '(NTSTATUS) 0x6d9 - There are no more endpoints available from the endpoint mapper.',
      LAST_CONTROL_TRANSFER: 'from 000000007da4a631 to 000000007d4e2366',
    });
    expect(model.annotations['STACK_COMMAND']).toMatch(/^~0s; \.ecxr/);
  });

  it('says what the text did not tell', () => {
    expect(model.missing).toContain('modules');
    expect(model.missing).not.toContain('x86 stacks');
    expect(model.missing).not.toContain('thread list');
    expect(model.modules).toEqual([]);
  });
});

describe('the seed cut before .load wow64exts (native view only)', () => {
  const model = readWindbgText(fixture('virtualized-process-seed-first-half.txt'), 'first-half');

  it('still sees WOW64 from the wow64 frames, but has no x86 view', () => {
    expect(model.system.arch).toBe('amd64');
    expect(model.process.wow64).toBe(true);
    expect(model.process.bitness).toBe(32);
    expect(model.threads).toHaveLength(5);
    expect(model.threads.every((t) => t.x86Frames === undefined)).toBe(true);
    expect(model.missing).toContain('x86 stacks');
  });

  it('takes the faulting thread and symbol from the native analysis', () => {
    expect(model.threads[0]!.faulting).toBe(true);
    expect(model.threads[0]!.frames[0]!.address).toBe('0x6b006369');
    expect(model.annotations['SYMBOL_NAME']).toBe('wow64!Wow64NotifyDebugger+9');
    expect(model.annotations['IMAGE_NAME']).toBe('wow64.dll');
    expect(model.annotations['MODULE_NAME']).toBeUndefined();
    expect(model.exception?.code).toBe('0x000006d9');
  });
});
