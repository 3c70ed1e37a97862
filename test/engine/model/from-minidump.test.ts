// The minidump → model builder on dumps written by the test-dump builder: each stream's facts
// in their model field, a broken stream costing only itself, the platform-specific readings
// (POSIX signals, 32-bit addresses, requested dumps), and the WOW64 fixture end to end.
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { readMinidumpModel } from '../../../src/engine/model/from-minidump.ts';
import { HYPERVISOR_FLAG } from '../../../src/engine/model/minidump/linux-facts.ts';
import { DumpModel } from '../../../src/engine/core/dump-model.ts';
import { StreamType } from '../../../src/engine/minidump/stream-types.ts';
import { contextAmd64, contextX86 } from '../../synth/context-writers.ts';
import { MinidumpBuilder, type BuildOptions } from '../../synth/minidump-builder.ts';
import { analyzeInput } from '../../lib/analyze-input.ts';

const WRITTEN = 0x5f5e1000; // header time_t
const LINUX = 0x8201; // Breakpad's MD_OS_LINUX platform id

async function model(b: MinidumpBuilder, options: BuildOptions = {}, name = 'synthetic.dmp') {
  const m = await readMinidumpModel(new Uint8ArraySource(b.build(options).bytes, name));
  DumpModel.parse(m); // every model the builder makes keeps the schema
  return m;
}

function u32s(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  return out;
}

function u64s(...values: bigint[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setBigUint64(i * 8, x, true));
  return out;
}

/** A 32-bit Windows 7 process: two threads, the second faulting at an EBP chain two frames deep. */
function windowsX86(): MinidumpBuilder {
  const exe = 0x400000;
  const stack1 = 0x12f000;
  // Frame 0's EBP at stack1+0x100 → [saved EBP = stack1+0x200, return = exe+0x1234];
  // frame 1's EBP at stack1+0x200 → [0, 0]: the chain ends.
  const stack = new Uint8Array(0x400);
  stack.set(u32s(stack1 + 0x200, exe + 0x1234), 0x100);
  const ctx = contextX86({ eip: exe + 0x1050, esp: stack1 + 0xf0, ebp: stack1 + 0x100 });
  return new MinidumpBuilder({ timestamp: WRITTEN })
    .systemInfo({ arch: 'x86', major: 6, minor: 1, build: 7601, csd: 'Service Pack 1', cpuCount: 4, productType: 1, suiteMask: 0x100, vendorId: 'GenuineIntel' })
    .miscInfo({ processId: 0x1234, processCreateTime: WRITTEN - 100, processUserTime: 3, processKernelTime: 1 })
    .module({ name: 'C:\\App\\app.exe', base: exe, size: 0x20000, timestamp: 0x5000_0000, version: { file: [1, 2, 3, 4] }, codeView: { pdb: 'app.pdb', guid: '0f45b791-9a96-46f9-bf8f-2d6076ea421a', age: 17 } })
    .module({ name: 'C:\\Windows\\SysWOW64\\ntdll.dll', base: 0x77720000, size: 0x180000 })
    .unloadedModule({ name: 'C:\\App\\plugin.dll', base: 0x10000000, size: 0x8000 })
    .thread({ id: 0x10, teb: 0x7efdd000, priority: 2, suspendCount: 1, stack: { address: 0x22f000, bytes: new Uint8Array(0x100) }, context: contextX86({ eip: 0x77721000, esp: 0x22f010, ebp: 0x22f080 }) })
    .thread({ id: 0x20, teb: 0x7efda000, stack: { address: stack1, bytes: stack }, context: ctx })
    .threadName(0x20, 'worker')
    .threadInfo({ threadId: 0x20, createTime: 132_000_000_000_000_000n, userTime: 20_000_000n, kernelTime: 5_000_000n })
    .exception({ threadId: 0x20, code: 0xc0000005, address: exe + 0x1050, parameters: [1, 0x45], context: ctx })
    .handle({ handle: 0x44, typeName: 'Event', objectName: '\\BaseNamedObjects\\Ready' })
    .commentW('written by a test');
}

describe('stream facts land in their model fields', () => {
  it('system info, misc info, header: system and process', async () => {
    const m = await model(windowsX86());
    expect(m.system).toMatchObject({
      platform: 'windows',
      arch: 'x86',
      version: '6.1.7601',
      build: 7601,
      servicePack: 'Service Pack 1',
      product: 'WinNt, suite: SingleUserTS',
      cpuCount: 4,
      cpu: 'GenuineIntel',
    });
    expect(m.system.os).toBe('Windows 7 Version 7601 (Service Pack 1) MP (4 procs) Free x86');
    expect(m.process).toMatchObject({ pid: 0x1234, name: 'app.exe', bitness: 32, wow64: false, uptimeSeconds: 100, userSeconds: 3, kernelSeconds: 1 });
    expect(m.process.createTime).toBe(new Date((WRITTEN - 100) * 1000).toISOString());
    expect(m.dump).toMatchObject({ time: new Date(WRITTEN * 1000).toISOString(), comment: 'written by a test', manual: false, fullMemory: false });
    expect(m.dump.streams.map((s) => s.type)).toContain(StreamType.HandleData);
  });

  it('module lists: names, paths, ranges, versions, CodeView; unloaded modules apart', async () => {
    const m = await model(windowsX86());
    expect(m.modules).toEqual([
      {
        name: 'app.exe',
        path: 'C:\\App\\app.exe',
        base: '0x400000',
        size: '0x20000',
        version: '1.2.3.4',
        timestamp: new Date(0x5000_0000 * 1000).toISOString(),
        pdb: { name: 'app.pdb', id: '0F45B7919A9646F9BF8F2D6076EA421A11' },
      },
      { name: 'ntdll.dll', path: 'C:\\Windows\\SysWOW64\\ntdll.dll', base: '0x77720000', size: '0x180000', version: null, timestamp: null, pdb: null },
    ]);
    expect(m.unloadedModules).toEqual([
      { name: 'plugin.dll', path: 'C:\\App\\plugin.dll', base: '0x10000000', size: '0x8000', version: null, timestamp: null, pdb: null, unloaded: true },
    ]);
    expect(m.handles).toEqual([{ value: '0x44', type: 'Event', object: '\\BaseNamedObjects\\Ready' }]);
  });

  it('threads: ids, names, times, TEBs; the exception thread walked from the exception context', async () => {
    const m = await model(windowsX86());
    expect(m.threads.map((t) => [t.id, t.ordinal, t.name, t.teb, t.faulting])).toEqual([
      [0x10, 0, null, '0x7efdd000', false],
      [0x20, 1, 'worker', '0x7efda000', true],
    ]);
    expect(m.threads[0]).toMatchObject({ priority: 2, suspendCount: 1 });
    expect(m.threads[1]!.times).toEqual({ created: '2019-04-17T18:40:00.000Z', userSeconds: 2, kernelSeconds: 0.5 });
    const t = m.threads[1]!;
    expect(t.registers).toMatchObject({ eip: '0x401050', esp: '0x12f0f0', ebp: '0x12f100' });
    expect(t.frames.map((f) => [f.address, f.trust, f.retAddr, `${f.module}+${f.offset}`])).toEqual([
      ['0x401050', 'context', '0x401234', 'app+0x1050'],
      ['0x401234', 'frame-pointer', null, 'app+0x1234'],
    ]);
    // x86: the sp column is ChildEBP (each frame's EBP), as WinDbg and Breakpad print it.
    expect(t.frames.map((f) => f.sp)).toEqual(['0x12f100', '0x12f200']);
    expect(t.framesNote).toBeNull();
  });

  it('exception: code named, access decoded, module and offset of the address', async () => {
    const m = await model(windowsX86());
    expect(m.exception).toMatchObject({
      code: '0xc0000005',
      name: 'STATUS_ACCESS_VIOLATION',
      address: '0x401050',
      threadId: 0x20,
      parameters: ['0x1', '0x45'],
      access: { kind: 'write', address: '0x45' },
      module: 'app',
    });
    expect(m.missing).toEqual([]);
  });

  it('a 32-bit dump\'s sign-extended exception addresses are cut back to 32 bits', async () => {
    const b = new MinidumpBuilder()
      .systemInfo({ arch: 'x86', major: 5, minor: 1, build: 2600 })
      .thread({ id: 1, stack: { address: 0x12f000, bytes: new Uint8Array(0x40) }, context: contextX86({ eip: 0x40429e, esp: 0x12f000 }) })
      .exception({ threadId: 1, code: 0xc0000005, address: 0xffff_ffff_8040_429en, parameters: [1, 0xffff_ffff_8000_0045n], context: contextX86({ eip: 0x40429e, esp: 0x12f000 }) });
    const m = await model(b);
    expect(m.exception).toMatchObject({ address: '0x8040429e', parameters: ['0x1', '0x80000045'], access: { kind: 'write', address: '0x80000045' } });
  });
});

describe('a stream that fails to parse', () => {
  it('becomes a warning and a missing entry; the other streams survive', async () => {
    const m = await model(windowsX86(), { directory: [{ type: StreamType.ModuleList, rva: 0x7fff_fff0 }] });
    expect(m.missing).toContain('module list');
    expect(m.warnings.some((w) => w.kind === 'stream-unreadable' && w.message.startsWith('module list: '))).toBe(true);
    expect(m.modules).toEqual([]);
    expect(m.process.name).toBeNull();
    // Everything else is still read.
    expect(m.threads).toHaveLength(2);
    expect(m.exception?.code).toBe('0xc0000005');
    expect(m.exception?.module).toBeNull(); // no module list, so no module to name
    expect(m.process.pid).toBe(0x1234);
    expect(m.system.build).toBe(7601);
  });

  it('a cut exception stream loses only the exception', async () => {
    const m = await model(windowsX86(), { directory: [{ type: StreamType.Exception, size: 20 }] });
    expect(m.exception).toBeNull();
    expect(m.missing).toContain('exception');
    expect(m.warnings.some((w) => w.kind === 'stream-unreadable' && w.message.startsWith('exception: '))).toBe(true);
    expect(m.threads.every((t) => !t.faulting)).toBe(true);
    expect(m.modules).toHaveLength(2);
  });
});

/** A Linux x86-64 Breakpad dump: one thread stopped in `app` with an RBP frame record on its stack. */
function linuxAmd64(code: number, siAddr: bigint, platformId = LINUX): MinidumpBuilder {
  const app = 0x400000n;
  const rsp = 0x7ffd_0000_1000n;
  const stack = new Uint8Array(0x200);
  // [RBP] = 0 (the outermost frame record), [RBP+8] = a return address in app.
  stack.set(u64s(0n, app + 0x1fcfn), 0x10);
  const ctx = contextAmd64({ rip: app + 0x1f27n, rsp, rbp: rsp + 0x10n });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 0, minor: 0, build: 0, platformId, csd: 'Linux 3.13.0-53-generic #89-Ubuntu SMP x86_64', cpuCount: 2 })
    .module({ name: '/usr/bin/app', base: app, size: 0x17000 })
    .thread({ id: 4242, stack: { address: rsp, bytes: stack }, context: ctx })
    .exception({ threadId: 4242, code, address: siAddr, context: ctx })
    .rawStream(StreamType.LinuxProcStatus, new TextEncoder().encode('Name:\tapp\nState:\tR (running)\nPid:\t4242\nPPid:\t1\n'))
    .rawStream(
      StreamType.LinuxCpuInfo,
      new TextEncoder().encode('processor\t: 0\nmodel name\t: Intel(R) Xeon(R) CPU E5-2689 0 @ 2.60GHz\nflags\t\t: fpu vme sse2 hypervisor lahf_lm\n\nprocessor\t: 1\n'),
    );
}

describe('POSIX dumps (Breakpad on Linux)', () => {
  it('SIGSEGV: the fault address (si_addr) is the access, the instruction is the context PC', async () => {
    const m = await model(linuxAmd64(11, 0x45n));
    expect(m.exception).toMatchObject({ code: '0x0000000b', name: 'SIGSEGV', address: '0x401f27', access: { kind: 'unknown', address: '0x45' }, module: 'app' });
    expect(m.dump.manual).toBe(false);
    expect(m.system).toMatchObject({ platform: 'linux', os: 'Linux 3.13.0-53-generic #89-Ubuntu SMP x86_64', version: null, build: null, cpu: 'Intel(R) Xeon(R) CPU E5-2689 0 @ 2.60GHz', virtualization: HYPERVISOR_FLAG });
    expect(m.process).toMatchObject({ pid: 4242, name: 'app' });
  });

  it('SIGABRT: si_addr holds the sender\'s pid and uid, not an address, so there is no access', async () => {
    const m = await model(linuxAmd64(6, 0x3e8_0000_39ben));
    expect(m.exception).toMatchObject({ name: 'SIGABRT', address: '0x401f27', access: null });
  });

  it('a requested dump (DUMP_REQUESTED) is manual even though it has an exception stream', async () => {
    const m = await model(linuxAmd64(0xffffffff, 0x401f27n));
    expect(m.exception).toMatchObject({ name: 'DUMP_REQUESTED', access: null });
    expect(m.dump.manual).toBe(true);
  });

  it('follows the RBP chain on membership alone: System V code keeps frame pointers and the dump has no code', async () => {
    const m = await model(linuxAmd64(11, 0x45n));
    expect(m.threads[0]!.frames.map((f) => [f.address, f.trust, f.sp])).toEqual([
      ['0x401f27', 'context', '0x7ffd00001000'],
      ['0x401fcf', 'frame-pointer', '0x7ffd00001020'],
    ]);
  });

  it('does not on Windows x64, where RBP is not a frame pointer: the same value is a guess found by scanning', async () => {
    const m = await model(linuxAmd64(0xc0000005, 0x45n, 2 /* VER_PLATFORM_WIN32_NT */));
    expect(m.system.platform).toBe('windows');
    expect(m.threads[0]!.frames.map((f) => [f.address, f.trust, f.note])).toEqual([
      ['0x401f27', 'context', undefined],
      ['0x401fcf', 'scan', 'return address not verified: module code not available'],
    ]);
    expect(m.threads[0]!.framesNote).toMatch(/^no caller found: .*; 1 frame was guessed by scanning the stack, with no module code to check them; the dump holds no code for app: add the module files/);
  });

  it('macOS: the Mach exception is named and EXC_BAD_ACCESS keeps its fault address', async () => {
    const m = await model(linuxAmd64(1, 0xffff_ffff_8000_0042n, 0x8101 /* MD_OS_MAC_OS_X */));
    expect(m.exception).toMatchObject({ name: 'EXC_BAD_ACCESS', address: '0x401f27', access: { kind: 'unknown', address: '0xffffffff80000042' } });
    expect(m.system.virtualization).toBeNull(); // /proc/cpuinfo is read only for Linux
  });
});

describe('stack scanning', () => {
  it('never takes frame 0\'s own PC again (the saved copy of a self-captured context)', async () => {
    const code = 0x1_4000_0000n;
    const rip = code + 0x1005n;
    const caller = code + 0x2005n;
    const rsp = 0x9_0000_0000n;
    // CALL rel32 ending at both rip and caller; the dump holds those code bytes, not the headers.
    const text = new Uint8Array(0x2010);
    text.set([0xe8, 0, 0, 0, 0], 0x1000);
    text.set([0xe8, 0, 0, 0, 0], 0x2000);
    const stack = new Uint8Array(0x100);
    stack.set(u64s(rip), 0x10); // the CONTEXT copy's Rip
    stack.set(u64s(caller), 0x40); // the true return address
    const ctx = contextAmd64({ rip, rsp });
    const b = new MinidumpBuilder()
      .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 })
      .module({ name: 'C:\\App\\app.exe', base: code, size: 0x10000 })
      .memory(code + 0xff0n, text.subarray(0xff0))
      .thread({ id: 7, stack: { address: rsp, bytes: stack }, context: ctx })
      .exception({ threadId: 7, code: 0xc000000d, address: rip, context: ctx });
    const m = await model(b);
    expect(m.threads[0]!.frames.map((f) => [f.address, f.trust, f.sp])).toEqual([
      [`0x${rip.toString(16)}`, 'context', '0x900000000'],
      [`0x${caller.toString(16)}`, 'scan', '0x900000048'],
    ]);
  });
});

describe('the WOW64 fixture (fixtures/synth/wow64-seed-like.dmp)', () => {
  it('is a WOW64 process with x86 stacks on all five threads and Virtualized Process certain', async () => {
    const report = await analyzeInput({ fixture: 'synth/wow64-seed-like.dmp' });
    expect(report.process).toMatchObject({ wow64: true, bitness: 32, pid: 0x2088 });
    expect(report.system.arch).toBe('amd64');
    expect(report.threads.map((t) => t.id)).toEqual([0x2fe4, 0x280c, 0x1160, 0x2d04, 0x15c4]);
    for (const t of report.threads) expect([t.id, (t.x86Frames?.length ?? 0) > 0]).toEqual([t.id, true]);
    expect(report.missing).not.toContain('x86 stacks');
    const t0 = report.threads[0]!;
    expect(t0.x86Frames![0]).toMatchObject({ address: '0x7d4e2366', module: 'kernel32', symbol: 'RaiseException', offset: '0x53', sp: '0x12d98c' });
    // The x86 view's sp column is ChildEBP: the article's kb prints 0012d98c, 0012d9a4, 0012d9b4.
    expect(t0.x86Frames!.slice(0, 3).map((f) => f.sp)).toEqual(['0x12d98c', '0x12d9a4', '0x12d9b4']);
    expect(report.modules.filter((m) => m.x86).map((m) => m.name)).toContain('kernel32.dll');
    expect(report.modules.find((m) => m.name === 'wow64.dll')?.x86).toBeUndefined();
    const vp = report.findings.find((f) => f.pattern === 'virtualized-process');
    expect(vp?.confidence).toBe('certain');
  });
});

describe('a Wine dump walked with only the program image supplied', () => {
  // insufficient-memory-committed-memory: ntdll's code is not in the dump, so the walk scans up
  // to the program's frame-pointer functions, whose unwind info reads RBP. A scanned frame's RBP
  // is whatever an inner frame left: unwinding through it led once to 0x640002ce7 (no module)
  // and lost alloc_record's frame. With Wine's ntdll the exact walk is RtlRaiseStatus ←
  // RtlAllocateHeap ← alloc_record (0x140001b50) ← main (0x140001bef) ← __tmainCRTStartup (0x1400013ae).
  it('takes no caller from unwind info over a guessed RBP that lands outside the modules', async () => {
    const report = await analyzeInput({ fixture: 'dumps/insufficient-memory-committed-memory.dmp', images: ['dumps/insufficient-memory-committed-memory.exe'] });
    const frames = report.threads[0]!.frames;
    expect(frames.filter((f) => f.module === null).map((f) => f.address)).toEqual([]);
    const addresses = frames.map((f) => f.address);
    const alloc = addresses.indexOf('0x140001b50');
    expect(alloc).toBeGreaterThan(0);
    expect(addresses.slice(alloc, alloc + 3)).toEqual(['0x140001b50', '0x140001bef', '0x1400013ae']);
  });
});
