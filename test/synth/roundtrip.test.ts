// Builder → bytes → the engine's minidump reader: every stream the builder writes comes back
// with the values it was given, and the deliberately broken outputs come back as typed errors
// or warnings, never as a crash.
import { describe, expect, it } from 'vitest';
import { DumpError } from '../../src/engine/core/errors.ts';
import { Uint8ArraySource } from '../../src/engine/io/uint8array-source.ts';
import { openMinidump } from '../../src/engine/minidump/minidump.ts';
import type { Minidump } from '../../src/engine/minidump/minidump.ts';
import { buildPe } from './pe-builder.ts';
import { contextAmd64, contextX86 } from './context-writers.ts';
import { MinidumpBuilder } from './minidump-builder.ts';
import type { BuildOptions } from './minidump-builder.ts';
import { StreamType } from './minidump-format.ts';

const open = (bytes: Uint8Array): Promise<Minidump> => openMinidump(new Uint8ArraySource(bytes, 'synth.dmp'));

function x86Dump(memory: 'list' | 'list64' = 'list'): MinidumpBuilder {
  return new MinidumpBuilder({ memory, timestamp: 0x5a000000 })
    .systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045, cpuCount: 2, csd: '', vendorId: 'AuthenticAMD' })
    .thread({
      id: 0x1234,
      suspendCount: 0,
      priority: 1,
      teb: 0x7ffde000n,
      stack: { address: 0x0012f000n, bytes: new Uint8Array(0x1000).fill(0x5a) },
      context: contextX86({ eip: 0x401234, esp: 0x12f800, ebp: 0x12f880, eax: 0xaaaa, ecx: 0xcccc }),
    })
    .module({
      name: 'C:\\app\\app.exe',
      base: 0x400000n,
      size: 0x20000,
      timestamp: 0x5a000001,
      checksum: 0x1f00d,
      version: { file: [1, 2, 3, 4], product: [1, 2, 0, 0] },
      codeView: { pdb: 'C:\\src\\app.pdb', guid: '5a9832e5-2872-41c1-838e-d98914e9b7ff', age: 3 },
    })
    .module({ name: 'C:\\Windows\\SysWOW64\\ntdll.dll', base: 0x77720000n, size: 0x180000, codeView: { nb10: { pdb: 'ntdll.pdb', signature: 0x3a1b2c3d, age: 7 } } })
    .unloadedModule({ name: 'gone.dll', base: 0x10000000n, size: 0x5000, timestamp: 42 })
    .exception({ threadId: 0x1234, code: 0xc0000005, flags: 0, address: 0x401234n, parameters: [1n, 0x45n], nestedRecord: 0x12fa00n, context: contextX86({ eip: 0x401234, esp: 0x12f800 }) })
    .memory(0x00420000n, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))
    .memoryInfo({ base: 0x400000n, allocationBase: 0x400000n, allocationProtect: 0x80, regionSize: 0x1000n, state: 0x1000, protect: 2, type: 0x1000000 })
    .threadInfo({ threadId: 0x1234, createTime: 132000000000000000n, userTime: 20000000n, kernelTime: 10000000n, startAddress: 0x401000n, affinity: 3n })
    .handle({ handle: 0x44n, typeName: 'Mutant', objectName: '\\Sessions\\1\\BaseNamedObjects\\M' })
    .miscInfo({ processId: 4440, processCreateTime: 0x59fffff0, processUserTime: 2, processKernelTime: 1, processorMaxMhz: 3000, processorCurrentMhz: 2900, processIntegrityLevel: 0x2000, timeZone: { bias: 300, standardName: 'Eastern Standard Time', daylightName: 'Eastern Daylight Time' }, buildString: '19041.1.x86fre', processCookie: 9 })
    .commentW('written by the test builder')
    .threadName(0x1234, 'worker: ünïcode')
    .rawStream(StreamType.WinePrivate, new Uint8Array(16).fill(0xfe));
}

describe('round trip through openMinidump', () => {
  it('reads back header, system info, threads and contexts', async () => {
    const md = await open(x86Dump().build().bytes);
    expect(md.warnings).toEqual([]);
    expect(md.header).toMatchObject({ signature: 0x504d444d, streamCount: 13, streamDirectoryRva: 32, timeDateStamp: 0x5a000000, flags: 0n });
    expect(md.header.version & 0xffff).toBe(0xa793);
    const sys = (await md.systemInfo())!;
    expect(sys).toMatchObject({ arch: 'x86', majorVersion: 10, minorVersion: 0, buildNumber: 19045, numberOfProcessors: 2 });
    const threads = (await md.threads())!;
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ id: 0x1234, suspendCount: 0, priority: 1, teb: 0x7ffde000n });
    const ctx = (await md.threadContext(threads[0]!))!;
    expect(ctx.arch).toBe('x86');
    expect([ctx.pc, ctx.sp, ctx.fp]).toEqual([0x401234n, 0x12f800n, 0x12f880n]);
    const regs = ctx.regs as Record<string, bigint>;
    expect(regs.eax).toBe(0xaaaan);
    expect(regs.ecx).toBe(0xccccn);
    const stack = await md.stackBytes(threads[0]!);
    expect(stack?.length).toBe(0x1000);
    expect(stack?.[0]).toBe(0x5a);
  });

  it('reads back modules with version and CodeView, and unloaded modules', async () => {
    const md = await open(x86Dump().build().bytes);
    const mods = (await md.modules())!;
    expect(mods.map((m) => [m.name, m.base, m.size])).toEqual([
      ['C:\\app\\app.exe', 0x400000n, 0x20000],
      ['C:\\Windows\\SysWOW64\\ntdll.dll', 0x77720000n, 0x180000],
    ]);
    expect(mods[0]).toMatchObject({ timestamp: 0x5a000001, checksum: 0x1f00d, version: '1.2.3.4' });
    expect(mods[0]!.codeView).toMatchObject({ kind: 'pdb70', guid: '5a9832e5-2872-41c1-838e-d98914e9b7ff', age: 3, pdbName: 'C:\\src\\app.pdb' });
    expect(mods[1]!.codeView).toMatchObject({ kind: 'pdb20', signature: 0x3a1b2c3d, age: 7, pdbName: 'ntdll.pdb' });
    expect(mods[1]!.version).toBeNull();
    const un = (await md.unloadedModules())!;
    expect(un).toEqual([expect.objectContaining({ name: 'gone.dll', base: 0x10000000n, size: 0x5000, timestamp: 42 })]);
  });

  it('reads back the exception, misc info, handles, thread info, names, comment and streams', async () => {
    const md = await open(x86Dump().build().bytes);
    expect(await md.exception()).toMatchObject({ threadId: 0x1234, code: 0xc0000005, address: 0x401234n, nestedRecord: 0x12fa00n, parameters: [1n, 0x45n] });
    expect((await md.exceptionContext())?.pc).toBe(0x401234n);
    const misc = (await md.miscInfo())!;
    expect(misc).toMatchObject({ sizeOfInfo: 1364, version: 5, processId: 4440, processCreateTime: 0x59fffff0, processUserTime: 2, processKernelTime: 1, processIntegrityLevel: 0x2000, buildString: '19041.1.x86fre' });
    expect(misc.timeZone).toMatchObject({ bias: 300, standardName: 'Eastern Standard Time', daylightName: 'Eastern Daylight Time' });
    expect(await md.handles()).toEqual([expect.objectContaining({ handle: 0x44n, typeName: 'Mutant', objectName: '\\Sessions\\1\\BaseNamedObjects\\M' })]);
    expect(await md.threadInfo()).toEqual([expect.objectContaining({ threadId: 0x1234, createTime: 132000000000000000n, userTime: 20000000n, kernelTime: 10000000n, startAddress: 0x401000n, affinity: 3n })]);
    expect(await md.threadNames()).toEqual([expect.objectContaining({ threadId: 0x1234, name: 'worker: ünïcode' })]);
    expect(await md.comment()).toBe('written by the test builder');
    expect(await md.memoryInfo()).toEqual([expect.objectContaining({ base: 0x400000n, regionSize: 0x1000n, state: 0x1000, protect: 2, type: 0x1000000 })]);
    const types = md.streams.map((s) => s.type);
    expect(types).toContain(0xfff0);
    expect(md.streams.find((s) => s.type === 0xfff0)?.size).toBe(16);
  });

  it('serves memory from MemoryList and from Memory64List alike', async () => {
    for (const mode of ['list', 'list64'] as const) {
      const md = await open(x86Dump(mode).build().bytes);
      const mem = await md.memory();
      expect([...(await mem.read(0x420002n, 4))!]).toEqual([3, 4, 5, 6]);
      expect((await mem.read(0x12f800n, 2))![1]).toBe(0x5a);
      expect(await mem.read(0x430000n, 1)).toBeNull();
    }
  });

  it('reads an AMD64 context with an XSTATE tail', async () => {
    const b = new MinidumpBuilder()
      .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 22621 })
      .thread({ id: 1, context: contextAmd64({ rip: 0x7ff7a13110d9n, rsp: 0x5ffe00n, rbp: 0x5ffe80n, r12: 0x1212n, extension: new Uint8Array(0x340) }) });
    const md = await open(b.build().bytes);
    const ctx = (await md.threadContext((await md.threads())![0]!))!;
    expect(ctx.arch).toBe('amd64');
    expect(ctx.pc).toBe(0x7ff7a13110d9n);
    expect((ctx.regs as Record<string, bigint>).r12).toBe(0x1212n);
    expect(ctx.size).toBe(1232 + 0x340);
  });

  it('carries a PE image in memory that the reader serves at the module base', async () => {
    const pe = buildPe({ machine: 'x86', imageBase: 0x400000n, text: { size: 0x1000 }, exports: { dllName: 'app.exe', functions: [{ name: 'main', rva: 0x1010 }] } });
    const b = new MinidumpBuilder().systemInfo({ arch: 'x86', major: 6, minor: 1, build: 7601 }).module({ name: 'app.exe', base: 0x400000n, size: pe.sizeOfImage });
    for (const p of pe.mapped) b.memory(0x400000n + BigInt(p.rva), p.bytes);
    const md = await open(b.build().bytes);
    const mz = await (await md.memory()).read(0x400000n, 2);
    expect([...mz!]).toEqual([0x4d, 0x5a]);
  });
});

describe('broken dumps come back as typed errors or warnings', () => {
  const cases: [string, BuildOptions][] = [
    ['truncated in the directory', { truncateAt: 40 }],
    ['truncated in the streams', { truncateAt: 600 }],
    ['a thread count far past the stream', { counts: { [StreamType.ThreadList]: 100000 } }],
    ['a module list pointing past the file', { directory: [{ type: StreamType.ModuleList, rva: 0x7ffffff0 }] }],
    ['a huge stream size', { directory: [{ type: StreamType.MemoryList, size: 0xfffffff0 }] }],
    ['a header claiming 1000 streams', { header: { streamCount: 1000 } }],
    ['an exception with 99 parameters', { counts: { [StreamType.Exception]: 99 } }],
    ['a memory info count of 2^32', { counts: { [StreamType.MemoryInfoList]: 0x100000000n } }],
  ];
  for (const [label, options] of cases) {
    it(label, async () => {
      const bytes = x86Dump().build(options).bytes;
      let md: Minidump;
      try {
        md = await open(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(DumpError);
        return;
      }
      const reads = [md.systemInfo(), md.threads(), md.modules(), md.exception(), md.memoryList(), md.memoryInfo(), md.miscInfo(), md.handles(), md.threadNames(), md.comment()];
      const settled = await Promise.allSettled(reads);
      for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(DumpError);
      const failed = settled.filter((s) => s.status === 'rejected').length;
      // something was noticed: a warning or a stream refused
      expect(md.warnings.length + failed).toBeGreaterThan(0);
    });
  }

  it('refuses a file that is not MDMP', async () => {
    const bytes = new MinidumpBuilder().commentA('x').build({ header: { signature: 0x464c457f } }).bytes;
    await expect(open(bytes)).rejects.toMatchObject({ kind: 'not-a-dump' });
  });
});
