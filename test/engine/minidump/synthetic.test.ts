// Edge cases built with the test writer: padded lists, hostile counts and RVAs, duplicate and
// unknown streams, every CodeView shape, contexts without system info.
import { describe, expect, it } from 'vitest';
import { openMinidump, type Minidump } from '../../../src/engine/minidump/minidump.ts';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { DumpError } from '../../../src/engine/core/errors.ts';
import { StreamType, streamTypeName } from '../../../src/engine/minidump/stream-types.ts';
import { boundedCount } from '../../../src/engine/minidump/location.ts';
import { MAX_STREAMS } from '../../../src/engine/minidump/directory.ts';
import { decodeContext } from '../../../src/engine/minidump/context.ts';
import { decodeArm64Context } from '../../../src/engine/minidump/context-arm64.ts';
import type { Amd64Context } from '../../../src/engine/minidump/context-amd64.ts';
import { MinidumpBuilder } from '../../synth/minidump-builder.ts';
import { CONTEXT_X86_FULL, contextAmd64, contextX86 } from '../../synth/context-writers.ts';
import { Section } from '../../synth/section.ts';

function open(bytes: Uint8Array, name = 'synthetic.dmp'): Promise<Minidump> {
  return openMinidump(new Uint8ArraySource(bytes, name));
}

async function error(p: Promise<unknown>): Promise<DumpError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DumpError);
  return e as DumpError;
}

const GUID = '5a9832e5-2872-41c1-838e-d98914e9b7ff';
// CONTEXT_AMD64 | CONTROL | INTEGER: no segment, float or debug registers
const CONTEXT_AMD64_CONTROL_INTEGER = 0x100003;
const AMD64_WINDOWS_10 = { arch: 'amd64', cpuCount: 4, major: 10, minor: 0, build: 19045 } as const;

describe('thread lists', () => {
  it('reads a list whose count is padded to 8 bytes', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.ThreadList, w.threadList([{ id: 7, teb: 0x7ffde000n }, { id: 9 }], { padded: true }));
    const md = await open(w.finish());
    expect((await md.threads())!.map((t) => [t.id, t.teb])).toEqual([
      [7, 0x7ffde000n],
      [9, 0n],
    ]);
  });

  it('reads as many threads as the stream holds when the count lies', async () => {
    const w = MinidumpBuilder.raw();
    const body = w.threadList([{ id: 1 }, { id: 2 }]);
    new DataView(body.buffer).setUint32(0, 0xffffffff, true);
    w.stream(StreamType.ThreadList, body);
    const md = await open(w.finish());
    expect((await md.threads())!.map((t) => t.id)).toEqual([1, 2]);
    // The stream is whole: its count contradicts its own size (a corrupt count, not a cut file).
    expect(md.warnings).toContainEqual({ kind: 'stream-count', message: 'ThreadListStream: claims 4294967295 threads but holds only 2' });
  });

  it('decodes contexts by system info, or by their own flags without it', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(
      StreamType.ThreadList,
      w.threadList([
        { id: 1, context: contextAmd64({ contextFlags: CONTEXT_AMD64_CONTROL_INTEGER, rip: 0x7ff6_1234_5678n, rsp: 0x1000n, rbp: 0x1010n }) },
        { id: 2, context: contextX86({ contextFlags: CONTEXT_X86_FULL, eip: 0x401000, esp: 0x12ff00, ebp: 0x12ff10 }) },
        { id: 3, context: new Uint8Array(100) },
      ]),
    );
    const md = await open(w.finish());
    const [t1, t2, t3] = (await md.threads())!;
    const c1 = (await md.threadContext(t1!)) as Amd64Context;
    expect([c1.arch, c1.pc, c1.sp, c1.fp]).toEqual(['amd64', 0x7ff6_1234_5678n, 0x1000n, 0x1010n]);
    expect(c1.valid.has('rip') && c1.valid.has('rax') && !c1.valid.has('dr0')).toBe(true);
    const c2 = (await md.threadContext(t2!))!;
    expect([c2.arch, c2.pc, c2.sp, c2.fp]).toEqual(['x86', 0x401000n, 0x12ff00n, 0x12ff10n]);
    const e = await error(md.threadContext(t3!));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toBe('context of thread 3 (0x3): cannot tell the CPU of a 100-byte context');
  });

  it('a context too short for the system’s CPU is corrupt; a missing CPU flag is a warning', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.SystemInfo, w.systemInfo(AMD64_WINDOWS_10));
    const noFlag = contextAmd64({ contextFlags: CONTEXT_AMD64_CONTROL_INTEGER, rip: 1n });
    new DataView(noFlag.buffer).setUint32(48, 0x3, true);
    w.stream(StreamType.ThreadList, w.threadList([{ id: 1, context: new Uint8Array(200) }, { id: 2, context: noFlag }]));
    const md = await open(w.finish());
    const [t1, t2] = (await md.threads())!;
    expect((await error(md.threadContext(t1!))).kind).toBe('corrupt');
    expect((await md.threadContext(t2!))!.pc).toBe(1n);
    expect(md.warnings.map((x) => x.kind)).toContain('context-flags');
  });

  it('tolerates contexts with trailing XSTATE data', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.SystemInfo, w.systemInfo(AMD64_WINDOWS_10));
    const ctx = contextAmd64({ contextFlags: CONTEXT_AMD64_CONTROL_INTEGER, rip: 0x1234n, extension: new Uint8Array(600) });
    new DataView(ctx.buffer).setUint32(48, 0x100043, true);
    w.stream(StreamType.ThreadList, w.threadList([{ id: 1, context: ctx }]));
    const md = await open(w.finish());
    const c = (await md.threadContext((await md.threads())![0]!))!;
    expect([c.size, c.raw.length, c.hasXState, c.pc]).toEqual([1832, 1232, true, 0x1234n]);
  });
});

describe('modules and CodeView', () => {
  it('reads names, PDB70, PDB20 and ELF records', async () => {
    const w = MinidumpBuilder.raw();
    const body = w.moduleList([
      { base: 0x400000n, size: 0x2d000, name: 'c:\\test_app.exe', timestamp: 0x45d35f6c, codeView: { pdb: 'c:\\test_app.pdb', guid: GUID, age: 1 } },
      { base: 0x7c900000n, size: 0xb0000, name: 'C:\\WINDOWS\\system32\\ntdll.dll' },
      { base: 0x10000000n, size: 0x1000, name: 'old.dll' },
      { base: 0x7f0000000000n, size: 0x1000, name: '/lib/libc.so.6' },
    ]);
    // Point module 2 at an NB10 record and module 3 at a Breakpad ELF build id.
    const nb10 = new Section().u32(0x3031424e).u32(0).u32(0x3a2b4c5d).u32(3).ascii('old.pdb', false).u8(0).toBytes();
    const elf = new Section().u32(0x4270454c).bytes([0xb4, 0x3b, 0x02, 0x57, 0x2a, 0x91, 0x6e, 0x55, 0xe1, 0x1e, 0x49, 0x79, 0xd4, 0x24, 0x44, 0x3c, 0x11, 0x22, 0x33, 0x44]).toBytes();
    const view = new DataView(body.buffer);
    view.setUint32(4 + 2 * 108 + 76, nb10.length, true);
    view.setUint32(4 + 2 * 108 + 80, w.append(nb10), true);
    view.setUint32(4 + 3 * 108 + 76, elf.length, true);
    view.setUint32(4 + 3 * 108 + 80, w.append(elf), true);
    w.stream(StreamType.ModuleList, body);
    const md = await open(w.finish());
    const [a, b, c, d] = (await md.modules())!;
    expect(a!.name).toBe('c:\\test_app.exe');
    expect(a!.codeId).toBe('45D35F6C2d000');
    expect(a!.codeView).toEqual({
      kind: 'pdb70',
      guid: '5a9832e5-2872-41c1-838e-d98914e9b7ff',
      age: 1,
      pdbName: 'c:\\test_app.pdb',
      debugId: '5A9832E5287241C1838ED98914E9B7FF1',
    });
    expect(b!.codeView).toBeNull();
    expect(b!.version).toBeNull();
    expect(c!.codeView).toEqual({ kind: 'pdb20', offset: 0, signature: 0x3a2b4c5d, age: 3, pdbName: 'old.pdb', debugId: '3A2B4C5D3' });
    expect(d!.codeView).toEqual({
      kind: 'elf',
      buildId: 'b43b02572a916e55e11e4979d424443c11223344',
      debugId: '57023BB4912A556EE11E4979D424443C0',
    });
  });

  it('a module whose name or CodeView lies past the end keeps its place, with warnings', async () => {
    const w = MinidumpBuilder.raw();
    const body = w.moduleList([{ base: 0x1000n, size: 0x1000, name: 'a.dll' }, { base: 0x2000n, size: 0x1000, name: 'b.dll' }]);
    const view = new DataView(body.buffer);
    view.setUint32(4 + 20, 0x7fff0000, true); // name RVA of module 0
    view.setUint32(4 + 108 + 76, 0x100000, true); // CodeView size of module 1: too large
    view.setUint32(4 + 108 + 80, 64, true);
    w.stream(StreamType.ModuleList, body);
    const md = await open(w.finish());
    const modules = (await md.modules())!;
    expect(modules.map((m) => m.name)).toEqual(['', 'b.dll']);
    expect(modules[1]!.codeView).toBeNull();
    expect(md.warnings.map((x) => x.kind)).toEqual(['string-unreadable', 'codeview-corrupt']);
    expect(md.warnings[0]!.message).toContain('ModuleListStream module 0 name at 0x7fff0000');
  });
});

describe('directory', () => {
  it('lists unknown and duplicate streams; the first of a type is used', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(0xfff0, new Section().ascii('private', false).toBytes());
    w.stream(StreamType.ThreadList, w.threadList([{ id: 1 }]));
    w.stream(StreamType.ThreadList, w.threadList([{ id: 2 }]));
    const md = await open(w.finish());
    expect(md.streams.map((s) => s.name)).toEqual(['Unknown(0xfff0)', 'ThreadListStream', 'ThreadListStream']);
    expect((await md.threads())!.map((t) => t.id)).toEqual([1]);
    expect(md.warnings.map((x) => x.kind)).toEqual(['stream-duplicate']);
    expect(new TextDecoder().decode(await md.streamBytes(md.streams[0]!))).toBe('private');
  });

  it('a stream past the end fails alone, naming the stream', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.SystemInfo, w.systemInfo({ ...AMD64_WINDOWS_10, arch: 'x86' }));
    w.entry(StreamType.ModuleList, 1000, 0x10_0000);
    const md = await open(w.finish());
    const e = await error(md.modules());
    expect(e.kind).toBe('truncated');
    expect(e.message).toMatch(/^ModuleListStream: its 1000 bytes at 0x100000 lie past the end of the file/);
    expect((await md.systemInfo())!.arch).toBe('x86');
    // A cached failure stays the same failure.
    expect(await error(md.modules())).toBe(e);
    expect(md.truncatedBytes).toBeGreaterThan(0);
  });

  it('warns about a foreign version and caps the stream count', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.ThreadList, w.threadList([{ id: 1 }]));
    const md = await open(w.finish({ version: 0x1234, streamCount: 0xffffffff }));
    expect(md.warnings.map((x) => x.kind)).toEqual(expect.arrayContaining(['header-version', 'cap-count', 'dump-truncated']));
    expect(md.streams.length).toBe(1); // only one entry's bytes exist before the end of the file
    expect(md.warnings.find((x) => x.kind === 'cap-count')!.message).toContain(String(MAX_STREAMS));
  });

  it('a directory past the end is a truncated dump', async () => {
    const w = MinidumpBuilder.raw();
    const bytes = w.finish({ streamCount: 3 });
    new DataView(bytes.buffer).setUint32(12, 0x100000, true);
    expect((await error(open(bytes))).kind).toBe('truncated');
  });

  it('names stream types', () => {
    expect(streamTypeName(24)).toBe('ThreadNamesStream');
    expect(streamTypeName(0x47670009)).toBe('LinuxMaps');
    expect(streamTypeName(0x43500001)).toBe('CrashpadInfoStream');
    expect(streamTypeName(0xdeadbeef)).toBe('Unknown(0xdeadbeef)');
  });
});

describe('small streams', () => {
  it('comments: W preferred over A, both NUL-terminated', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.CommentA, new Section().ascii('ansi caf', false).u8(0xe9).u8(0).ascii('junk', false).toBytes());
    let md = await open(w.finish());
    expect(await md.comment()).toBe('ansi café');
    w.stream(StreamType.CommentW, new Section().utf16('procdump -ma 1234').u16(0).toBytes());
    md = await open(w.finish());
    expect(await md.comment()).toBe('procdump -ma 1234');
  });

  it('thread names: an unreadable name is null with a warning', async () => {
    const w = MinidumpBuilder.raw();
    const good = w.string('render thread');
    w.stream(StreamType.ThreadNames, new Section().u32(2).u32(10).u64(good).u32(11).u64(0x1_0000_0000n).toBytes());
    const md = await open(w.finish());
    expect(await md.threadNames()).toEqual([
      { threadId: 10, name: 'render thread' },
      { threadId: 11, name: null },
    ]);
    expect(md.warnings.map((x) => x.kind)).toEqual(['string-unreadable']);
  });

  it('exception: more than 15 parameters is a warning, 15 are read', async () => {
    const w = MinidumpBuilder.raw();
    const body = new Section().u32(42).u32(0).u32(0xc0000409).u32(1).u64(0).u64(0x401000).u32(99).u32(0);
    for (let i = 0; i < 15; i++) body.u64(i + 1);
    w.stream(StreamType.Exception, body.u32(0).u32(0).toBytes());
    const md = await open(w.finish());
    const ex = (await md.exception())!;
    expect([ex.threadId, ex.code, ex.flags, ex.address, ex.numberParameters, ex.parameters.length]).toEqual([42, 0xc0000409, 1, 0x401000n, 99, 15]);
    expect(await md.exceptionContext()).toBeNull();
    expect(md.warnings.map((x) => x.kind)).toEqual(['exception-parameters']);
  });

  it('misc info: fields beyond the written version are null', async () => {
    const w = MinidumpBuilder.raw();
    w.stream(StreamType.MiscInfo, new Section().u32(24).u32(0x3).u32(4242).u32(1_700_000_000).u32(3).u32(4).toBytes());
    const md = await open(w.finish());
    expect(await md.miscInfo()).toMatchObject({
      version: 1,
      processId: 4242,
      processCreateTime: 1_700_000_000,
      processUserTime: 3,
      processKernelTime: 4,
      processor: null,
      timeZone: null,
      buildString: null,
    });
  });

  it('unloaded modules and handles use the sizes their headers give', async () => {
    const w = MinidumpBuilder.raw();
    const name = w.string('gone.dll');
    // A 32-byte entry (8 more than the format's 24): the extra must be skipped.
    w.stream(StreamType.UnloadedModuleList, new Section().u32(12).u32(32).u32(1).u64(0x6000_0000).u32(0x5000).u32(0).u32(0x1234).u32(name).zeros(8).toBytes());
    const type = w.string('Event');
    w.stream(StreamType.HandleData, new Section().u32(16).u32(40).u32(2).u32(0)
      .u64(4).u32(type).u32(0).u32(0).u32(0x1f0003).u32(1).u32(2).u32(0).u32(0)
      .u64(8).u32(type).u32(0).u32(0).u32(0x1f0003).u32(1).u32(2).u32(0).u32(0).toBytes());
    const md = await open(w.finish());
    expect(await md.unloadedModules()).toEqual([{ index: 0, base: 0x6000_0000n, size: 0x5000, checksum: 0, timestamp: 0x1234, name: 'gone.dll' }]);
    const handles = (await md.handles())!;
    expect(handles.map((h) => [h.handle, h.typeName, h.objectName, h.grantedAccess])).toEqual([
      [4n, 'Event', null, 0x1f0003],
      [8n, 'Event', null, 0x1f0003],
    ]);
  });
});

describe('bounds', () => {
  it('boundedCount lowers the count to the data, then to the cap, warning each time', () => {
    const got: string[] = [];
    const ctx = { source: new Uint8ArraySource(new Uint8Array(0)), warn: (_k: string, m: string) => got.push(m) };
    expect(boundedCount(ctx, 'S', 'things', 10, 20, 100)).toBe(10);
    expect(boundedCount(ctx, 'S', 'things', 500, 300, 100)).toBe(100);
    expect(boundedCount(ctx, 'S', 'things', 2n ** 63n, 5, 100)).toBe(5);
    expect(got).toEqual([
      'S: claims 500 things but holds only 300',
      'S: 300 things, only the first 100 read',
      'S: claims 9223372036854775808 things but holds only 5',
    ]);
  });

  it('boundedCount calls a count beyond a whole stream a corrupt count, beyond a cut one a truncation', () => {
    const got: string[] = [];
    const ctx = { source: new Uint8ArraySource(new Uint8Array(0)), warn: (k: string) => got.push(k) };
    boundedCount(ctx, 'S', 'things', 9, 3, 100, true);
    boundedCount(ctx, 'S', 'things', 9, 3, 100, false);
    expect(got).toEqual(['stream-count', 'stream-truncated']);
  });

  it('arm64 contexts decode x0..x28, fp, lr, sp, pc', () => {
    const b = new Uint8Array(912);
    const v = new DataView(b.buffer);
    v.setUint32(0, 0x400003, true);
    v.setUint32(4, 0x60000000, true);
    for (let i = 0; i < 31; i++) v.setBigUint64(8 + i * 8, BigInt(0x100 + i), true);
    v.setBigUint64(256, 0x16f000000n, true);
    v.setBigUint64(264, 0x100004000n, true);
    const c = decodeArm64Context(b);
    expect([c.regs.x0, c.regs.x28, c.regs.fp, c.regs.lr, c.sp, c.pc, c.regs.cpsr]).toEqual([0x100n, 0x11cn, 0x11dn, 0x11en, 0x16f000000n, 0x100004000n, 0x60000000n]);
    expect(c.valid.has('pc') && c.valid.has('x5') && !c.valid.has('fpcr')).toBe(true);
    expect(decodeContext(b, null).arch).toBe('arm64');
    expect(() => decodeContext(b, 'mips')).toThrow(DumpError);
  });
});
