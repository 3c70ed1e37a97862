import { describe, expect, it } from 'vitest';
import { readU16, readU32, readU64 } from './byte-writer.ts';
import { AMD64_CONTEXT_OFFSETS, AMD64_CONTEXT_SIZE, contextAmd64, contextX86, X86_CONTEXT_OFFSETS, X86_CONTEXT_SIZE } from './context-writers.ts';
import { exceptionRecord32Bytes, exceptionRecord64Bytes, guidBytes, MinidumpBuilder } from './minidump-builder.ts';
import type { BuiltMinidump } from './minidump-builder.ts';
import { StreamType } from './minidump-format.ts';

function dir(built: BuiltMinidump): { type: number; size: number; rva: number }[] {
  const b = built.bytes;
  const n = readU32(b, 8);
  const at = readU32(b, 12);
  return Array.from({ length: n }, (_, i) => ({ type: readU32(b, at + i * 12), size: readU32(b, at + i * 12 + 4), rva: readU32(b, at + i * 12 + 8) }));
}

function stream(built: BuiltMinidump, type: number): { size: number; rva: number } {
  const s = dir(built).find((d) => d.type === type);
  if (!s) throw new Error(`stream ${type} missing`);
  return s;
}

function readMinidumpString(b: Uint8Array, rva: number): string {
  const len = readU32(b, rva);
  let s = '';
  for (let i = 0; i < len; i += 2) s += String.fromCharCode(readU16(b, rva + 4 + i));
  return s;
}

const dumpWithEverything = (): MinidumpBuilder =>
  new MinidumpBuilder({ timestamp: 0x46dd4212, flags: 0x1826n })
    .systemInfo({ arch: 'amd64', major: 5, minor: 2, build: 3790, csd: 'Service Pack 2', cpuCount: 4, productType: 3, suiteMask: 0x110 })
    .thread({
      id: 0x2fe4,
      suspendCount: 1,
      priority: 2,
      teb: 0x7efdb000n,
      stack: { address: 0x16e000n, bytes: new Uint8Array(0x100).fill(0xab) },
      context: contextAmd64({ rip: 0x6b006369n, rsp: 0x16e190n }),
    })
    .thread({ id: 0x280c, teb: 0x7efd8000n, context: contextAmd64({ rip: 0x78b83c7dn }) })
    .module({
      name: 'C:\\WINDOWS\\system32\\wow64.dll',
      base: 0x6b000000n,
      size: 0x3c000,
      checksum: 0x3f5d1,
      timestamp: 0x45d6cc89,
      version: { file: [5, 2, 3790, 3959] },
      codeView: { pdb: 'wow64.pdb', guid: '1b2d5e3f-0a1b-4c2d-8e9f-001122334455', age: 2 },
    })
    .module({ name: 'C:\\WINDOWS\\SysWOW64\\ntdll.dll', base: 0x7d600000n, size: 0x130000, codeView: { nb10: { pdb: 'ntdll.pdb', signature: 0x45d70ad8, age: 1 } } })
    .unloadedModule({ name: 'rasman.dll', base: 0x76e60000n, size: 0x12000, timestamp: 0x42435b2a })
    .exception({ threadId: 0x2fe4, code: 0x6d9, flags: 1, address: 0x7d4e2366n, parameters: [1n, 2n], nestedRecord: 0x12d000n, context: contextAmd64({ rip: 0x6b006369n }) })
    .memory(0x7efdb000n, new Uint8Array(0x40).fill(7))
    .memoryInfo({ base: 0x10000n, regionSize: 0x1000n, state: 0x1000, protect: 4, type: 0x20000 })
    .threadInfo({ threadId: 0x2fe4, createTime: 128334213740000000n, userTime: 1562500n, kernelTime: 312500n, exitStatus: 0x103 })
    .handle({ handle: 4n, typeName: 'Event', objectName: '\\BaseNamedObjects\\Foo' })
    .handle({ handle: 8n, typeName: 'File', objectName: null })
    .miscInfo({ processId: 0x2088, processCreateTime: 0x46dd41a0, processUserTime: 3, processKernelTime: 1 })
    .commentA('Userdump generated complete user-mode minidump')
    .commentW('wide comment')
    .threadName(0x2fe4, 'main')
    .rawStream(StreamType.WinePrivate, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));

describe('MinidumpBuilder header and directory', () => {
  const built = dumpWithEverything().build();
  const b = built.bytes;

  it('writes the MDMP header', () => {
    expect(readU32(b, 0)).toBe(0x504d444d);
    expect(readU32(b, 4) & 0xffff).toBe(0xa793);
    expect(readU32(b, 12)).toBe(32);
    expect(readU32(b, 20)).toBe(0x46dd4212);
    expect(readU64(b, 24)).toBe(0x1826n);
  });

  it('lists every stream in the directory with its size and RVA', () => {
    const d = dir(built);
    expect(d.map((x) => x.type)).toEqual([3, 4, 14, 6, 7, 15, 17, 16, 12, 24, 10, 11, 0xfff0, 5]);
    expect(d).toEqual(built.streams);
    for (const s of d) expect(s.rva % 4).toBe(0);
    expect(stream(built, StreamType.ThreadList).size).toBe(4 + 2 * 48);
    expect(stream(built, StreamType.ModuleList).size).toBe(4 + 2 * 108);
    expect(stream(built, StreamType.UnloadedModuleList).size).toBe(12 + 24);
    expect(stream(built, StreamType.Exception).size).toBe(168);
    expect(stream(built, StreamType.SystemInfo).size).toBe(56);
    expect(stream(built, StreamType.MiscInfo).size).toBe(24);
    expect(stream(built, StreamType.ThreadInfoList).size).toBe(12 + 64);
    expect(stream(built, StreamType.MemoryInfoList).size).toBe(16 + 48);
    expect(stream(built, StreamType.HandleData).size).toBe(16 + 2 * 40);
    expect(stream(built, StreamType.ThreadNames).size).toBe(4 + 12);
    expect(stream(built, StreamType.WinePrivate).size).toBe(8);
    // two ranges: the stack of thread 0 and the TEB
    expect(stream(built, StreamType.MemoryList).size).toBe(4 + 2 * 16);
  });
});

describe('MinidumpBuilder streams', () => {
  const built = dumpWithEverything().build();
  const b = built.bytes;

  it('lays out MINIDUMP_THREAD records with context and stack locations', () => {
    const { rva } = stream(built, StreamType.ThreadList);
    expect(readU32(b, rva)).toBe(2);
    const t0 = rva + 4;
    expect(readU32(b, t0)).toBe(0x2fe4);
    expect(readU32(b, t0 + 4)).toBe(1);
    expect(readU32(b, t0 + 12)).toBe(2);
    expect(readU64(b, t0 + 16)).toBe(0x7efdb000n);
    expect(readU64(b, t0 + 24)).toBe(0x16e000n);
    expect(readU32(b, t0 + 32)).toBe(0x100);
    const stackRva = readU32(b, t0 + 36);
    expect(b[stackRva]).toBe(0xab);
    expect(readU32(b, t0 + 40)).toBe(AMD64_CONTEXT_SIZE);
    const ctx = readU32(b, t0 + 44);
    expect(ctx % 16).toBe(0);
    expect(readU64(b, ctx + AMD64_CONTEXT_OFFSETS.rip)).toBe(0x6b006369n);
    expect(readU64(b, ctx + AMD64_CONTEXT_OFFSETS.rsp)).toBe(0x16e190n);
    expect(readU32(b, ctx + AMD64_CONTEXT_OFFSETS.contextFlags)).toBe(0x10001f);
    const t1 = t0 + 48;
    expect(readU32(b, t1)).toBe(0x280c);
    expect(readU32(b, t1 + 32)).toBe(0); // no stack
    expect(readU64(b, readU32(b, t1 + 44) + AMD64_CONTEXT_OFFSETS.rip)).toBe(0x78b83c7dn);
  });

  it('writes MINIDUMP_MODULE with name, version and CodeView records', () => {
    const { rva } = stream(built, StreamType.ModuleList);
    expect(readU32(b, rva)).toBe(2);
    const m0 = rva + 4;
    expect(readU64(b, m0)).toBe(0x6b000000n);
    expect(readU32(b, m0 + 8)).toBe(0x3c000);
    expect(readU32(b, m0 + 12)).toBe(0x3f5d1);
    expect(readU32(b, m0 + 16)).toBe(0x45d6cc89);
    expect(readMinidumpString(b, readU32(b, m0 + 20))).toBe('C:\\WINDOWS\\system32\\wow64.dll');
    // VS_FIXEDFILEINFO at +24: signature, struct version, file version MS/LS
    expect(readU32(b, m0 + 24)).toBe(0xfeef04bd);
    expect(readU32(b, m0 + 32)).toBe((5 << 16) | 2);
    expect(readU32(b, m0 + 36)).toBe(((3790 << 16) | 3959) >>> 0);
    // CvRecord at +76
    const cvSize = readU32(b, m0 + 76);
    const cvRva = readU32(b, m0 + 80);
    expect(readU32(b, cvRva)).toBe(0x53445352);
    expect([...b.subarray(cvRva + 4, cvRva + 20)]).toEqual([...guidBytes('1b2d5e3f-0a1b-4c2d-8e9f-001122334455')]);
    expect(readU32(b, cvRva + 4)).toBe(0x1b2d5e3f);
    expect(readU32(b, cvRva + 20)).toBe(2);
    expect(new TextDecoder().decode(b.subarray(cvRva + 24, cvRva + cvSize - 1))).toBe('wow64.pdb');
    expect(b[cvRva + cvSize - 1]).toBe(0);
    const m1 = m0 + 108;
    const nb = readU32(b, m1 + 80);
    expect(readU32(b, nb)).toBe(0x3031424e);
    expect(readU32(b, nb + 8)).toBe(0x45d70ad8);
    expect(readU32(b, m1 + 24)).toBe(0); // no version resource
  });

  it('writes the exception stream with its context', () => {
    const { rva } = stream(built, StreamType.Exception);
    expect(readU32(b, rva)).toBe(0x2fe4);
    expect(readU32(b, rva + 8)).toBe(0x6d9);
    expect(readU32(b, rva + 12)).toBe(1);
    expect(readU64(b, rva + 16)).toBe(0x12d000n);
    expect(readU64(b, rva + 24)).toBe(0x7d4e2366n);
    expect(readU32(b, rva + 32)).toBe(2);
    expect(readU64(b, rva + 40)).toBe(1n);
    expect(readU64(b, rva + 48)).toBe(2n);
    expect(readU32(b, rva + 160)).toBe(AMD64_CONTEXT_SIZE);
    expect(readU64(b, readU32(b, rva + 164) + AMD64_CONTEXT_OFFSETS.rip)).toBe(0x6b006369n);
  });

  it('writes system info with the CSD string', () => {
    const { rva } = stream(built, StreamType.SystemInfo);
    expect(readU16(b, rva)).toBe(9);
    expect(b[rva + 6]).toBe(4);
    expect(b[rva + 7]).toBe(3);
    expect(readU32(b, rva + 8)).toBe(5);
    expect(readU32(b, rva + 12)).toBe(2);
    expect(readU32(b, rva + 16)).toBe(3790);
    expect(readU32(b, rva + 20)).toBe(2);
    expect(readMinidumpString(b, readU32(b, rva + 24))).toBe('Service Pack 2');
    expect(readU16(b, rva + 28)).toBe(0x110);
    expect(new TextDecoder().decode(b.subarray(rva + 32, rva + 44))).toBe('GenuineIntel');
  });

  it('writes misc info, thread info, memory info, handles, names and comments', () => {
    const misc = stream(built, StreamType.MiscInfo).rva;
    expect(readU32(b, misc)).toBe(24);
    expect(readU32(b, misc + 4)).toBe(3);
    expect(readU32(b, misc + 8)).toBe(0x2088);
    expect(readU32(b, misc + 12)).toBe(0x46dd41a0);

    const ti = stream(built, StreamType.ThreadInfoList).rva;
    expect([readU32(b, ti), readU32(b, ti + 4), readU32(b, ti + 8)]).toEqual([12, 64, 1]);
    expect(readU32(b, ti + 12)).toBe(0x2fe4);
    expect(readU32(b, ti + 24)).toBe(0x103);
    expect(readU64(b, ti + 28)).toBe(128334213740000000n);
    expect(readU64(b, ti + 44)).toBe(312500n);
    expect(readU64(b, ti + 52)).toBe(1562500n);

    const mi = stream(built, StreamType.MemoryInfoList).rva;
    expect([readU32(b, mi), readU32(b, mi + 4)]).toEqual([16, 48]);
    expect(readU64(b, mi + 8)).toBe(1n);
    expect(readU64(b, mi + 16)).toBe(0x10000n);
    expect(readU64(b, mi + 40)).toBe(0x1000n);
    expect(readU32(b, mi + 48)).toBe(0x1000);

    const hd = stream(built, StreamType.HandleData).rva;
    expect([readU32(b, hd), readU32(b, hd + 4), readU32(b, hd + 8)]).toEqual([16, 40, 2]);
    expect(readU64(b, hd + 16)).toBe(4n);
    expect(readMinidumpString(b, readU32(b, hd + 24))).toBe('Event');
    expect(readMinidumpString(b, readU32(b, hd + 28))).toBe('\\BaseNamedObjects\\Foo');
    expect(readU32(b, hd + 16 + 40 + 12)).toBe(0); // second handle: no object name

    const tn = stream(built, StreamType.ThreadNames).rva;
    expect(readU32(b, tn)).toBe(1);
    expect(readU32(b, tn + 4)).toBe(0x2fe4);
    expect(readMinidumpString(b, Number(readU64(b, tn + 8)))).toBe('main');

    const ca = stream(built, StreamType.CommentA);
    expect(new TextDecoder().decode(b.subarray(ca.rva, ca.rva + ca.size - 1))).toBe('Userdump generated complete user-mode minidump');
    const cw = stream(built, StreamType.CommentW);
    expect(cw.size).toBe(('wide comment'.length + 1) * 2);

    const un = stream(built, StreamType.UnloadedModuleList).rva;
    expect([readU32(b, un), readU32(b, un + 4), readU32(b, un + 8)]).toEqual([12, 24, 1]);
    expect(readMinidumpString(b, readU32(b, un + 12 + 20))).toBe('rasman.dll');
  });

  it('lists the stack and other ranges in the MemoryList, sharing the stack bytes', () => {
    const { rva } = stream(built, StreamType.MemoryList);
    expect(readU32(b, rva)).toBe(2);
    const stackDesc = rva + 4;
    expect(readU64(b, stackDesc)).toBe(0x16e000n);
    expect(readU32(b, stackDesc + 8)).toBe(0x100);
    const threadStackRva = readU32(b, stream(built, StreamType.ThreadList).rva + 4 + 36);
    expect(readU32(b, stackDesc + 12)).toBe(threadStackRva);
    const teb = rva + 4 + 16;
    expect(readU64(b, teb)).toBe(0x7efdb000n);
    expect(b[readU32(b, teb + 12)]).toBe(7);
    expect(built.memory.map((m) => m.address)).toEqual([0x16e000n, 0x7efdb000n]);
  });

  it('writes each MINIDUMP_MISC_INFO level at its documented size', () => {
    const sizes: Record<number, number> = { 1: 24, 2: 44, 3: 232, 4: 832, 5: 1364 };
    for (const level of [1, 2, 3, 4, 5] as const) {
      const d = new MinidumpBuilder().miscInfo({ level, processId: 1, buildString: level >= 4 ? '7601.24545.amd64fre' : undefined }).build();
      const s = stream(d, StreamType.MiscInfo);
      expect(s.size).toBe(sizes[level]);
      expect(readU32(d.bytes, s.rva)).toBe(sizes[level]);
    }
    const d4 = new MinidumpBuilder().miscInfo({ processId: 7, buildString: '7601.24545.amd64fre.win7sp1_ldr_escrow.190720-1700', timeZone: { bias: -120, standardName: 'W. Europe Standard Time', daylightName: 'W. Europe Daylight Time' } }).build();
    const s4 = stream(d4, StreamType.MiscInfo);
    expect(s4.size).toBe(832);
    expect(readU32(d4.bytes, s4.rva + 4)).toBe(0x1 | 0x40 | 0x100);
    // BuildString starts at 232 (after the MINIDUMP_MISC_INFO_3 part)
    expect(String.fromCharCode(readU16(d4.bytes, s4.rva + 232), readU16(d4.bytes, s4.rva + 234))).toBe('76');
    // TimeZone.Bias is at 44 + 16
    expect(new DataView(d4.bytes.buffer).getInt32(s4.rva + 60, true)).toBe(-120);
  });

  it('writes nested exception records in both widths', () => {
    const r64 = exceptionRecord64Bytes({ code: 0xc0000005, address: 0x401000n, parameters: [1n, 0n], next: 0x12f000n });
    expect(r64.length).toBe(152);
    expect(readU32(r64, 0)).toBe(0xc0000005);
    expect(readU64(r64, 8)).toBe(0x12f000n);
    expect(readU32(r64, 24)).toBe(2);
    const r32 = exceptionRecord32Bytes({ code: 0xc0000005, address: 0x401000 });
    expect(r32.length).toBe(80);
    expect(readU32(r32, 12)).toBe(0x401000);
  });

  it('writes ThreadExList records of 64 bytes', () => {
    const d = new MinidumpBuilder({ threadEx: true }).thread({ id: 5, context: contextX86({ eip: 0x401000 }), backingStore: { address: 0x9000n, bytes: new Uint8Array(16) } }).build();
    const s = stream(d, StreamType.ThreadExList);
    expect(s.size).toBe(4 + 64);
    expect(readU64(d.bytes, s.rva + 4 + 48)).toBe(0x9000n);
    expect(readU32(d.bytes, s.rva + 4 + 56)).toBe(16);
    expect(readU32(d.bytes, s.rva + 4 + 40)).toBe(X86_CONTEXT_SIZE);
    expect(readU32(d.bytes, readU32(d.bytes, s.rva + 4 + 44) + X86_CONTEXT_OFFSETS.eip)).toBe(0x401000);
  });
});

describe('MinidumpBuilder Memory64List', () => {
  it('puts all memory in one contiguous blob at the end, stacks included', () => {
    const d = new MinidumpBuilder({ memory: 'list64', flags: 2n })
      .thread({ id: 1, stack: { address: 0x30000n, bytes: new Uint8Array(0x20).fill(0x11) }, context: contextX86({ esp: 0x30010 }) })
      .memory(0x400000n, new Uint8Array(0x10).fill(0x22))
      .memory(0x10000n, new Uint8Array(0x8).fill(0x33))
      .build();
    const b = d.bytes;
    const s = stream(d, StreamType.Memory64List);
    expect(readU64(b, s.rva)).toBe(3n);
    const baseRva = Number(readU64(b, s.rva + 8));
    expect(s.size).toBe(16 + 3 * 16);
    expect(baseRva).toBe(s.rva + s.size);
    const descs = [0, 1, 2].map((i) => ({ address: readU64(b, s.rva + 16 + i * 16), size: Number(readU64(b, s.rva + 24 + i * 16)) }));
    expect(descs).toEqual([
      { address: 0x10000n, size: 8 },
      { address: 0x30000n, size: 0x20 },
      { address: 0x400000n, size: 0x10 },
    ]);
    expect(b[baseRva]).toBe(0x33);
    expect(b[baseRva + 8]).toBe(0x11);
    expect(b[baseRva + 8 + 0x20]).toBe(0x22);
    expect(b.length).toBe(baseRva + 8 + 0x20 + 0x10);
    const threadStackRva = readU32(b, stream(d, StreamType.ThreadList).rva + 4 + 36);
    expect(threadStackRva).toBe(baseRva + 8);
  });

  it('refuses overlapping ranges', () => {
    const b = new MinidumpBuilder({ memory: 'list64' }).memory(0x1000n, new Uint8Array(0x20)).memory(0x1010n, new Uint8Array(0x20));
    expect(() => b.build()).toThrow(/overlap/);
  });
});

describe('MinidumpBuilder deliberate damage', () => {
  it('truncates the file', () => {
    const honest = dumpWithEverything().build();
    const cut = dumpWithEverything().build({ truncateAt: 100 });
    expect(cut.bytes.length).toBe(100);
    expect([...cut.bytes]).toEqual([...honest.bytes.subarray(0, 100)]);
  });

  it('lies about counts, directory entries and the header', () => {
    const d = dumpWithEverything().build({
      counts: { [StreamType.ThreadList]: 100000, [StreamType.MemoryInfoList]: 0xffffffffn, [StreamType.Exception]: 99 },
      directory: [{ type: StreamType.ModuleList, size: 0xfffffff0, rva: 0x7fffffff }, { type: StreamType.WinePrivate, newType: 0x47670001 }],
      header: { streamCount: 1000, checksum: 0xdeadbeef },
    });
    const honest = dumpWithEverything().build();
    const b = d.bytes;
    expect(readU32(b, stream(honest, StreamType.ThreadList).rva)).toBe(100000);
    expect(readU64(b, stream(honest, StreamType.MemoryInfoList).rva + 8)).toBe(0xffffffffn);
    expect(readU32(b, stream(honest, StreamType.Exception).rva + 32)).toBe(99);
    expect(readU32(b, 8)).toBe(1000);
    expect(readU32(b, 16)).toBe(0xdeadbeef);
    const entries = Array.from({ length: honest.streams.length }, (_, i) => ({ type: readU32(b, 32 + i * 12), size: readU32(b, 36 + i * 12), rva: readU32(b, 40 + i * 12) }));
    expect(entries.find((e) => e.type === StreamType.ModuleList)).toEqual({ type: 4, size: 0xfffffff0, rva: 0x7fffffff });
    expect(entries.some((e) => e.type === 0x47670001)).toBe(true);
    expect(entries.some((e) => e.type === StreamType.WinePrivate)).toBe(false);
  });

  it('pads list counts when asked, and adds unused directory entries', () => {
    const d = new MinidumpBuilder({ listPadding: true, unusedStreams: 2 }).thread({ id: 9 }).memory(0x1000n, new Uint8Array(4)).build();
    const t = stream(d, StreamType.ThreadList);
    expect(t.size).toBe(8 + 48);
    expect(readU32(d.bytes, t.rva + 8)).toBe(9);
    expect(dir(d).filter((x) => x.type === 0)).toEqual([
      { type: 0, size: 0, rva: 0 },
      { type: 0, size: 0, rva: 0 },
    ]);
  });

  it('applies raw patches and changes the signature', () => {
    const d = new MinidumpBuilder().commentA('x').build({ header: { signature: 0x4d44504d }, patches: [{ offset: 4, bytes: new Uint8Array([0, 0, 0, 0]) }] });
    expect(readU32(d.bytes, 0)).toBe(0x4d44504d);
    expect(readU32(d.bytes, 4)).toBe(0);
  });
});
