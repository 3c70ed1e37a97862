// The test-dump builder's raw layer: where minidump-builder.ts states a dump by what it holds,
// this lays bytes out by hand, for the files a typed description cannot express (a padded list,
// a directory entry with no data, a hostile count, a directory after the data). Data is
// appended as it is added; the stream directory goes at the end of the file (an MDMP directory
// may lie anywhere). Constants come from minidump-format.ts, contexts from context-writers.ts,
// like the builder's.
import { Section } from './section.ts';
import { CONTEXT_X86_FULL, contextAmd64, contextX86 } from './context-writers.ts';
import { MDMP_SIGNATURE, MDMP_VERSION, StreamType } from './minidump-format.ts';

export interface DirectoryEntry {
  type: number;
  size: number;
  rva: number;
}

export class MinidumpWriter {
  readonly #data: number[] = new Array<number>(32).fill(0);
  readonly directory: DirectoryEntry[] = [];

  /** Appends bytes (aligned to `align`) and returns their RVA. */
  append(data: Uint8Array, align = 4): number {
    while (this.#data.length % align !== 0) this.#data.push(0);
    const rva = this.#data.length;
    for (const b of data) this.#data.push(b);
    return rva;
  }

  /** A MINIDUMP_STRING (u32 byte length + UTF-16LE + NUL); returns its RVA. */
  string(s: string): number {
    return this.append(new Section().u32(s.length * 2).utf16(s).u16(0).toBytes());
  }

  /** A Crashpad MinidumpUTF8String; returns its RVA. */
  utf8String(s: string): number {
    const bytes = new TextEncoder().encode(s);
    return this.append(new Section().u32(bytes.length).bytes(bytes).u8(0).toBytes());
  }

  /** Appends a stream's bytes and lists it in the directory. */
  stream(type: number, data: Uint8Array): DirectoryEntry {
    const entry = { type, size: data.length, rva: this.append(data) };
    this.directory.push(entry);
    return entry;
  }

  /** Lists a directory entry without writing data (for hostile sizes and RVAs). */
  entry(type: number, size: number, rva: number): void {
    this.directory.push({ type, size, rva });
  }

  get size(): number {
    return this.#data.length;
  }

  finish(options: { streamCount?: number; version?: number; flags?: bigint; time?: number } = {}): Uint8Array {
    const dirRva = this.append(
      this.directory.reduce((b, e) => b.u32(e.type).u32(e.size).u32(e.rva), new Section()).toBytes(),
    );
    const header = new Section()
      .u32(MDMP_SIGNATURE)
      .u32(options.version ?? MDMP_VERSION)
      .u32(options.streamCount ?? this.directory.length)
      .u32(dirRva)
      .u32(0)
      .u32(options.time ?? 0)
      .u64(options.flags ?? 0n)
      .toBytes();
    const out = Uint8Array.from(this.#data);
    out.set(header, 0);
    return out;
  }
}

/** An x86 CONTEXT (716 bytes) with CONTEXT_i386|CONTROL|INTEGER|SEGMENTS and the given registers; the rest zero. */
export function x86Context(regs: Partial<Record<'eip' | 'esp' | 'ebp' | 'eax' | 'ebx' | 'ecx' | 'edx' | 'esi' | 'edi', number>>, extra = 0): Uint8Array {
  const zeroed = { cs: 0, ss: 0, ds: 0, es: 0, fs: 0, gs: 0, eflags: 0 };
  const fixed = contextX86({ contextFlags: CONTEXT_X86_FULL, ...zeroed, ...regs });
  const b = new Uint8Array(fixed.length + extra);
  b.set(fixed);
  return b;
}

/** An AMD64 CONTEXT (1232 bytes) with CONTEXT_AMD64|CONTROL|INTEGER and the given registers; the rest zero. */
export function amd64Context(regs: Partial<Record<'rip' | 'rsp' | 'rbp' | 'rax', bigint>>, extra = 0): Uint8Array {
  const zeroed = { cs: 0, ss: 0, ds: 0, es: 0, fs: 0, gs: 0, eflags: 0, mxcsr: 0 };
  return contextAmd64({ contextFlags: 0x100003, ...zeroed, ...regs, extension: new Uint8Array(extra) });
}

/** MINIDUMP_SYSTEM_INFO for a Windows machine of the given PROCESSOR_ARCHITECTURE. */
export function systemInfo(processorArchitecture: number, csdRva = 0): Uint8Array {
  return new Section()
    .u16(processorArchitecture).u16(6).u16(0).u8(4).u8(1)
    .u32(10).u32(0).u32(19045).u32(2).u32(csdRva).u16(0).u16(0)
    .ascii('GenuineIntel', false).u32(0).u32(0).u32(0)
    .toBytes();
}

export interface ThreadSpec {
  id: number;
  teb?: bigint;
  stackBase?: bigint;
  stack?: Uint8Array;
  context?: Uint8Array;
}

/** A ThreadListStream body; stacks and contexts are appended to `w` first. */
export function threadList(w: MinidumpWriter, threads: ThreadSpec[], padded = false): Uint8Array {
  const b = new Section().u32(threads.length);
  if (padded) b.u32(0);
  for (const t of threads) {
    const stackRva = t.stack ? w.append(t.stack) : 0;
    const ctxRva = t.context ? w.append(t.context) : 0;
    b.u32(t.id).u32(0).u32(0).u32(0).u64(t.teb ?? 0n)
      .u64(t.stackBase ?? 0n).u32(t.stack?.length ?? 0).u32(stackRva)
      .u32(t.context?.length ?? 0).u32(ctxRva);
  }
  return b.toBytes();
}

export interface ModuleSpec {
  base: bigint;
  size: number;
  name: string;
  timestamp?: number;
  pdb?: { guid: Uint8Array; age: number; name: string };
}

/** A ModuleListStream body; names and CodeView records are appended to `w` first. */
export function moduleList(w: MinidumpWriter, modules: ModuleSpec[]): Uint8Array {
  const b = new Section().u32(modules.length);
  for (const m of modules) {
    const nameRva = w.string(m.name);
    let cv = { size: 0, rva: 0 };
    if (m.pdb) {
      const rec = new Section().u32(0x53445352).bytes(m.pdb.guid).u32(m.pdb.age).ascii(m.pdb.name).toBytes();
      cv = { size: rec.length, rva: w.append(rec) };
    }
    b.u64(m.base).u32(m.size).u32(0).u32(m.timestamp ?? 0).u32(nameRva)
      .zeros(52) // VS_FIXEDFILEINFO
      .u32(cv.size).u32(cv.rva).u32(0).u32(0).u64(0).u64(0);
  }
  return b.toBytes();
}

/** A Memory64ListStream for ranges whose bytes are appended contiguously right after it. */
export function memory64(w: MinidumpWriter, ranges: Array<{ base: bigint; bytes: Uint8Array }>): void {
  const headerSize = 16 + ranges.length * 16;
  // The list itself goes first, then the bytes, so BaseRva = list RVA + list size.
  const listRva = w.size + ((4 - (w.size % 4)) % 4);
  const b = new Section().u64(ranges.length).u64(listRva + headerSize);
  for (const r of ranges) b.u64(r.base).u64(r.bytes.length);
  w.stream(StreamType.Memory64List, b.toBytes());
  for (const r of ranges) w.append(r.bytes, 1);
}
