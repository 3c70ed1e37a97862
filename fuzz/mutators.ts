// Mutations of seed inputs. Dump mutators know the MDMP layout (minidump-layout.ts) and aim at
// what readers trust: directory sizes and RVAs, list counts, thread records, memory ranges,
// CPU contexts and the stack bytes the unwinders walk. Text mutators attack the line reader:
// noise, endless lines, millions of lines, repeated blocks, huge numbers, mixed encodings.
// Each mutator changes its input in place (or replaces the bytes) and returns one line saying
// what it did, so a failing case explains itself.
import type { Rng } from './rng.ts';
import type { Seed } from './corpus.ts';
import { CONTEXT_LAYOUT, contextArch, Cpu, dumpLayout, StreamType, type DumpLayout, type ThreadAt } from './minidump-layout.ts';

export interface DumpInput {
  bytes: Uint8Array;
  /** The layout of the seed before any mutation (offsets may be stale after a shift). */
  layout: DumpLayout;
}

export interface Mutator<T> {
  name: string;
  weight: number;
  /** Makes inputs of many megabytes or thousands of threads: left out of the quick test slice. */
  heavy?: boolean;
  apply(input: T, rng: Rng, corpus: readonly Seed[]): string;
}

const INTERESTING32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const INTERESTING64 = [0n, 1n, 0xffffffffn, 0x100000000n, 0x7ffffffeffffn, 0x800000000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xfffffffffffffff0n, 0xffffffffffffffffn];

const hx = (v: number | bigint): string => `0x${v.toString(16)}`;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Writes that fall outside the buffer are dropped: offsets from the seed may be stale. */
export function putU32(bytes: Uint8Array, at: number, value: number): void {
  if (at >= 0 && at + 4 <= bytes.length) view(bytes).setUint32(at, value >>> 0, true);
}

export function putU64(bytes: Uint8Array, at: number, value: bigint): void {
  if (at >= 0 && at + 8 <= bytes.length) view(bytes).setBigUint64(at, BigInt.asUintN(64, value), true);
}

function putWord(bytes: Uint8Array, at: number, value: bigint, width: 4 | 8): void {
  if (width === 8) putU64(bytes, at, value);
  else putU32(bytes, at, Number(BigInt.asUintN(32, value)));
}

function getU32(bytes: Uint8Array, at: number): number | null {
  return at >= 0 && at + 4 <= bytes.length ? view(bytes).getUint32(at, true) : null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(0, 255);
  return out;
}

/** An offset biased towards the structures at the head of the file and the layout's boundaries. */
function aimedOffset(input: DumpInput, rng: Rng): number {
  const n = input.bytes.length;
  if (n === 0) return 0;
  const r = rng.next();
  if (r < 0.4 && input.layout.boundaries.length > 0) return Math.min(n - 1, rng.pick(input.layout.boundaries) + rng.int(0, 64));
  if (r < 0.7) return rng.int(0, Math.min(n, 4096) - 1);
  return rng.int(0, n - 1);
}

function nonMemoryStreams(layout: DumpLayout) {
  return layout.streams;
}

/** A code address the unwinders will take for a return address: inside a module, or anywhere. */
function codeAddress(layout: DumpLayout, rng: Rng, width: 4 | 8): bigint {
  const mods = layout.modules.filter((m) => m.size > 0x2000);
  if (mods.length > 0 && rng.chance(0.85)) {
    const m = rng.pick(mods);
    return m.base + BigInt(rng.int(0x1000, m.size - 1));
  }
  return width === 8 ? rng.pick(INTERESTING64) : BigInt(rng.pick(INTERESTING32));
}

/** Threads whose context and stack are both in the file, with the CPU their context is for. */
function walkableThreads(input: DumpInput): { t: ThreadAt; arch: 'x86' | 'amd64' }[] {
  const out: { t: ThreadAt; arch: 'x86' | 'amd64' }[] = [];
  for (const t of input.layout.threads) {
    const arch = contextArch(input.layout.cpu, t.contextSize);
    if (!arch) continue;
    if (t.contextRva + CONTEXT_LAYOUT[arch].size > input.bytes.length) continue;
    if (t.stackSize < 64 || t.stackRva + t.stackSize > input.bytes.length) continue;
    out.push({ t, arch });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dump mutators

export const DUMP_MUTATORS: Mutator<DumpInput>[] = [
  {
    name: 'bit-flips',
    weight: 8,
    apply(input, rng) {
      const flips = rng.int(1, 32);
      for (let i = 0; i < flips; i++) {
        const at = aimedOffset(input, rng);
        input.bytes[at] = (input.bytes[at] ?? 0) ^ (1 << rng.int(0, 7));
      }
      return `${flips} bit flips`;
    },
  },
  {
    name: 'byte-run',
    weight: 5,
    apply(input, rng) {
      const at = aimedOffset(input, rng);
      const len = rng.size(8192);
      const value = rng.pick([0x00, 0xff, 0x41, 0x80, -1]);
      const end = Math.min(input.bytes.length, at + len);
      for (let i = at; i < end; i++) input.bytes[i] = value < 0 ? rng.int(0, 255) : value;
      return `bytes ${at}..${end} set to ${value < 0 ? 'random' : hx(value)}`;
    },
  },
  {
    name: 'interesting-word',
    weight: 8,
    apply(input, rng) {
      const n = rng.int(1, 6);
      for (let i = 0; i < n; i++) {
        const at = aimedOffset(input, rng) & ~3;
        if (rng.chance(0.5)) putU32(input.bytes, at, rng.pick(INTERESTING32));
        else putU64(input.bytes, at, rng.pick(INTERESTING64));
      }
      return `${n} words overwritten with boundary values`;
    },
  },
  {
    name: 'truncate-at-boundary',
    weight: 6,
    apply(input, rng) {
      const cut = Math.max(0, Math.min(input.bytes.length, rng.pick(input.layout.boundaries) + rng.int(-3, 3)));
      input.bytes = input.bytes.slice(0, cut);
      return `cut at ${cut} (a structure boundary)`;
    },
  },
  {
    name: 'truncate-anywhere',
    weight: 2,
    apply(input, rng) {
      const cut = rng.int(0, input.bytes.length);
      input.bytes = input.bytes.slice(0, cut);
      return `cut at ${cut}`;
    },
  },
  {
    name: 'insert-or-delete',
    weight: 3,
    apply(input, rng) {
      const at = aimedOffset(input, rng);
      const len = rng.size(4096);
      if (rng.chance(0.5)) {
        input.bytes = concat([input.bytes.subarray(0, at), randomBytes(rng, len), input.bytes.subarray(at)]);
        return `${len} random bytes inserted at ${at}`;
      }
      input.bytes = concat([input.bytes.subarray(0, at), input.bytes.subarray(Math.min(input.bytes.length, at + len))]);
      return `${len} bytes deleted at ${at}`;
    },
  },
  {
    name: 'directory-lie',
    weight: 10,
    apply(input, rng) {
      const streams = nonMemoryStreams(input.layout);
      if (streams.length === 0) return 'no streams';
      const s = rng.pick(streams);
      const n = input.bytes.length;
      const other = rng.pick(streams);
      if (rng.chance(0.5)) {
        const size = rng.pick([0, 1, 0xffffffff, 0x7fffffff, 0x80000000, s.size * 1000, Math.max(0, n - s.rva + rng.int(1, 64)), s.size + rng.int(1, 16), Math.max(0, s.size - rng.int(1, 16))]);
        putU32(input.bytes, s.entry + 4, size >>> 0);
        return `directory[${s.index}] (type ${s.type}) size ${s.size} → ${hx(size >>> 0)}`;
      }
      const rva = rng.pick([0, 4, 0xffffffff, n, n - 1, n - 4, input.layout.directoryRva, other.rva, other.rva + rng.int(1, 12), s.rva + rng.int(-8, 8)]);
      putU32(input.bytes, s.entry + 8, rva >>> 0);
      return `directory[${s.index}] (type ${s.type}) rva ${hx(s.rva)} → ${hx(rva >>> 0)}`;
    },
  },
  {
    name: 'header-lie',
    weight: 4,
    apply(input, rng) {
      const l = input.layout;
      if (rng.chance(0.5)) {
        const count = rng.pick([0, 1, l.streamCount + 1, l.streamCount * 2, 0xffff, 4097, 0x7fffffff, 0xffffffff]);
        putU32(input.bytes, 8, count);
        return `header stream count ${l.streamCount} → ${count}`;
      }
      const rva = rng.pick([0, 4, 32, l.size, l.size - 1, l.size - 12, 0xffffffff, l.streams[0]?.rva ?? 0]);
      putU32(input.bytes, 12, rva >>> 0);
      return `header directory rva ${hx(l.directoryRva)} → ${hx(rva >>> 0)}`;
    },
  },
  {
    name: 'count-lie',
    weight: 8,
    apply(input, rng) {
      const lists = input.layout.streams.filter((s) =>
        [StreamType.ThreadList, StreamType.ModuleList, StreamType.MemoryList, StreamType.UnloadedModuleList, StreamType.ThreadInfoList, StreamType.HandleData, StreamType.MemoryInfoList, StreamType.ThreadNames, StreamType.Memory64List, StreamType.ThreadExList].includes(s.type as 3),
      );
      if (lists.length === 0) return 'no list streams';
      const s = rng.pick(lists);
      // HandleData, MemoryInfoList and ThreadInfoList start with a header size; their count follows it.
      const countAt = s.type === StreamType.HandleData || s.type === StreamType.MemoryInfoList || s.type === StreamType.ThreadInfoList ? s.rva + 8 : s.rva;
      const old = getU32(input.bytes, countAt) ?? 0;
      if (s.type === StreamType.Memory64List) {
        const count = rng.pick([0n, 1n, BigInt(old) + 1n, 0xffffffffn, 0x100000000n, 0xffffffffffffffffn]);
        putU64(input.bytes, countAt, count);
        return `Memory64List count ${old} → ${count}`;
      }
      const count = rng.pick([0, 1, old + 1, old * 2 + 1, 100_001, 0x7fffffff, 0xffffffff]);
      putU32(input.bytes, countAt, count >>> 0);
      return `stream type ${s.type} count ${old} → ${count >>> 0}`;
    },
  },
  {
    name: 'duplicate-stream',
    weight: 4,
    apply(input, rng) {
      const streams = input.layout.streams;
      if (streams.length < 2) return 'fewer than two streams';
      const from = rng.pick(streams);
      const to = rng.pick(streams.filter((s) => s !== from));
      if (rng.chance(0.5)) {
        // A second copy of the same stream.
        input.bytes.copyWithin(to.entry, from.entry, from.entry + 12);
        return `directory[${to.index}] made a copy of directory[${from.index}] (type ${from.type})`;
      }
      // Same type, other bytes: the duplicate points at a different stream's data.
      putU32(input.bytes, to.entry, from.type);
      return `directory[${to.index}] retyped ${to.type} → ${from.type}`;
    },
  },
  {
    name: 'thread-record-lie',
    weight: 6,
    apply(input, rng) {
      const threads = input.layout.threads;
      if (threads.length === 0) return 'no threads';
      const t = rng.pick(threads);
      const n = input.bytes.length;
      const field = rng.pick(['stack-start', 'stack-size', 'stack-rva', 'context-size', 'context-rva', 'teb'] as const);
      switch (field) {
        case 'stack-start':
          putU64(input.bytes, t.entry + 24, rng.pick(INTERESTING64));
          break;
        case 'stack-size':
          putU32(input.bytes, t.entry + 32, rng.pick([0, 1, 7, 0xffffffff, 0x7fffffff, n]));
          break;
        case 'stack-rva':
          putU32(input.bytes, t.entry + 36, rng.pick([0, n, n - 8, 0xffffffff, input.layout.directoryRva, t.contextRva]));
          break;
        case 'context-size':
          putU32(input.bytes, t.entry + 40, rng.pick([0, 1, 4, 0x2cc, 0x4d0, 0x390, 0xffffffff, 0x100000]));
          break;
        case 'context-rva':
          putU32(input.bytes, t.entry + 44, rng.pick([0, 32, n, n - 16, 0xffffffff, t.stackRva, input.layout.directoryRva]));
          break;
        case 'teb':
          putU64(input.bytes, t.entry + 16, rng.pick([0n, 1n, 0x7efdb000n, 0x7ffde000n, 0xffffffffffffffffn, t.stackStart]));
          break;
      }
      return `thread ${hx(t.id)}: ${field} lied about`;
    },
  },
  {
    name: 'cyclic-frame-chain',
    weight: 8,
    apply(input, rng) {
      const candidates = walkableThreads(input);
      if (candidates.length === 0) return 'no walkable thread';
      const { t, arch } = rng.pick(candidates);
      const c = CONTEXT_LAYOUT[arch];
      const w = c.width as 4 | 8;
      const words = Math.floor(t.stackSize / w);
      const ret = codeAddress(input.layout, rng, w);
      const shape = rng.pick(['self', 'pair', 'down', 'ladder'] as const);
      const slot = (i: number): bigint => t.stackStart + BigInt(i * w);
      const at = (i: number): number => t.stackRva + i * w;
      const a = rng.int(2, Math.max(2, Math.min(words - 4, 64)));
      const b = rng.int(a + 2, Math.max(a + 2, words - 2));
      switch (shape) {
        case 'self': // [fp] = fp: the chain points at itself
          putWord(input.bytes, at(a), slot(a), w);
          putWord(input.bytes, at(a + 1), ret, w);
          break;
        case 'pair': // fp → b → a → b …
          putWord(input.bytes, at(a), slot(b), w);
          putWord(input.bytes, at(a + 1), ret, w);
          putWord(input.bytes, at(b), slot(a), w);
          putWord(input.bytes, at(b + 1), ret, w);
          break;
        case 'down': // the saved frame pointer goes down the stack
          putWord(input.bytes, at(b), slot(a), w);
          putWord(input.bytes, at(b + 1), ret, w);
          break;
        case 'ladder': // every pair of words is a frame: endless plausible recursion
          for (let i = a; i + 1 < words; i += 2) {
            putWord(input.bytes, at(i), slot(i + 2), w);
            putWord(input.bytes, at(i + 1), ret, w);
          }
          break;
      }
      const fp = shape === 'down' ? slot(b) : slot(a);
      putWord(input.bytes, t.contextRva + c.fp, fp, w);
      putWord(input.bytes, t.contextRva + c.sp, slot(rng.int(0, a)), w);
      if (rng.chance(0.5)) putWord(input.bytes, t.contextRva + c.ip, ret, w);
      return `thread ${hx(t.id)} (${arch}): ${shape} frame-pointer chain at ${hx(fp)}`;
    },
  },
  {
    name: 'stack-pointer-outside',
    weight: 5,
    apply(input, rng) {
      const candidates = walkableThreads(input);
      if (candidates.length === 0) return 'no walkable thread';
      const { t, arch } = rng.pick(candidates);
      const c = CONTEXT_LAYOUT[arch];
      const w = c.width as 4 | 8;
      const end = t.stackStart + BigInt(t.stackSize);
      const sp = rng.pick([0n, 8n, t.stackStart - BigInt(w), end, end - BigInt(w), end + 0x10000n, 0xfffffffffffffff8n, 0xfffffff8n, 0x7ffffffeffffn]);
      putWord(input.bytes, t.contextRva + c.sp, sp, w);
      if (rng.chance(0.5)) putWord(input.bytes, t.contextRva + c.fp, sp, w);
      if (rng.chance(0.3)) putWord(input.bytes, t.contextRva + c.ip, rng.pick(INTERESTING64), w);
      return `thread ${hx(t.id)} (${arch}): stack pointer ${hx(BigInt.asUintN(w * 8, sp))}`;
    },
  },
  {
    name: 'overlapping-memory',
    weight: 5,
    apply(input, rng) {
      const l = input.layout;
      if (l.memory.length >= 2) {
        const a = rng.pick(l.memory);
        const b = rng.pick(l.memory.filter((m) => m !== a));
        const start = rng.pick([a.start, a.start + 8n, a.start + BigInt(a.size) - 8n, b.start - 1n]);
        putU64(input.bytes, b.entry, start);
        if (rng.chance(0.3)) putU32(input.bytes, b.entry + 8, rng.pick([0, 0xffffffff, a.size * 2]));
        return `MemoryList range at ${hx(b.start)} moved to ${hx(BigInt.asUintN(64, start))}`;
      }
      if (l.memory64.length >= 2) {
        const i = rng.int(1, l.memory64.length - 1);
        const prev = l.memory64[i - 1]!;
        const cur = l.memory64[i]!;
        putU64(input.bytes, cur.entry, prev.start + (prev.size > 8n ? prev.size / 2n : 0n));
        return `Memory64List range ${i} moved into range ${i - 1}`;
      }
      if (l.memory.length === 1) {
        putU32(input.bytes, l.memory[0]!.entry + 8, 0xffffffff);
        return 'the only MemoryList range claims 4 GiB';
      }
      return 'no memory ranges';
    },
  },
  {
    name: 'memory64-lie',
    weight: 3,
    apply(input, rng) {
      const l = input.layout;
      if (l.memory64Header === null) return 'no Memory64List';
      if (rng.chance(0.3) || l.memory64.length === 0) {
        const base = rng.pick([0n, 0xffffffffn, 0xffffffffffffffffn, BigInt(l.size), 32n]);
        putU64(input.bytes, l.memory64Header + 8, base);
        return `Memory64List BaseRva → ${hx(base)}`;
      }
      const r = rng.pick(l.memory64);
      const size = rng.pick([0n, 0x100000000n, 0x7fffffffffffffffn, 0xffffffffffffffffn, r.size + 1n]);
      putU64(input.bytes, r.entry + 8, size);
      return `Memory64List range at ${hx(r.start)} size → ${hx(size)}`;
    },
  },
  {
    name: 'wrong-arch-context',
    weight: 6,
    apply(input, rng) {
      const l = input.layout;
      const r = rng.next();
      if (r < 0.4 && l.cpuOffset !== null) {
        const cpu = l.cpu === Cpu.amd64 ? Cpu.x86 : l.cpu === Cpu.x86 ? Cpu.amd64 : rng.pick([Cpu.x86, Cpu.amd64, Cpu.arm64, 0xffff]);
        input.bytes[l.cpuOffset] = cpu & 0xff;
        input.bytes[l.cpuOffset + 1] = cpu >> 8;
        return `system info CPU ${l.cpu} → ${cpu}`;
      }
      const threads = l.threads.filter((t) => t.contextSize > 0);
      if (threads.length === 0) return 'no thread contexts';
      const t = rng.pick(threads);
      if (r < 0.7) {
        // The other CPU's CONTEXT size, with that CPU's flags written where it keeps them.
        const other = t.contextSize >= CONTEXT_LAYOUT.amd64.size ? CONTEXT_LAYOUT.x86 : CONTEXT_LAYOUT.amd64;
        putU32(input.bytes, t.entry + 40, other.size);
        putU32(input.bytes, t.contextRva + other.flags, other.flagsCpu | 0x3f);
        return `thread ${hx(t.id)}: context resized to ${hx(other.size)} with the other CPU's flags`;
      }
      // The flags of the other CPU in an otherwise unchanged context.
      putU32(input.bytes, t.contextRva, CONTEXT_LAYOUT.x86.flagsCpu | 0x3f);
      putU32(input.bytes, t.contextRva + CONTEXT_LAYOUT.amd64.flags, rng.pick([0, 0xffffffff, CONTEXT_LAYOUT.x86.flagsCpu | 0x3f]));
      return `thread ${hx(t.id)}: context flags of another CPU`;
    },
  },
  {
    name: 'many-threads',
    heavy: true,
    weight: 2,
    apply(input, rng) {
      // A new thread list at the end of the file: thousands of copies of a real thread record.
      const list = input.layout.streams.find((s) => s.type === StreamType.ThreadList);
      const t = input.layout.threads[0];
      if (!list || !t) return 'no thread list';
      const n = rng.pick([2001, 3000, 5000, rng.int(100, 5000)]);
      const record = input.bytes.slice(t.entry, t.entry + 48);
      const blob = new Uint8Array(4 + n * 48);
      putU32(blob, 0, n);
      for (let i = 0; i < n; i++) {
        blob.set(record, 4 + i * 48);
        putU32(blob, 4 + i * 48, 0x1000 + i);
      }
      const rva = input.bytes.length;
      input.bytes = concat([input.bytes, blob]);
      putU32(input.bytes, list.entry + 4, blob.length);
      putU32(input.bytes, list.entry + 8, rva);
      return `thread list replaced by ${n} copies of thread ${hx(t.id)}`;
    },
  },
  {
    name: 'name-bomb',
    weight: 2,
    apply(input, rng) {
      // Every module name points at one string as long as a MINIDUMP_STRING may claim.
      const list = input.layout.streams.find((s) => s.type === StreamType.ModuleList);
      const count = list ? getU32(input.bytes, list.rva) : null;
      if (!list || count === null) return 'no module list';
      const chars = rng.pick([32 * 1024, 1 << 20]);
      const str = new Uint8Array(4 + chars * 2);
      putU32(str, 0, chars * 2);
      for (let i = 0; i < chars; i++) str[4 + i * 2] = 0x41 + (i % 26);
      const rva = input.bytes.length + ((4 - (input.bytes.length % 4)) % 4);
      input.bytes = concat([input.bytes, new Uint8Array(rva - input.bytes.length), str]);
      const start = list.rva + (list.size === 8 + count * 108 ? 8 : 4);
      const n = Math.min(count, 100_000);
      for (let i = 0; i < n; i++) putU32(input.bytes, start + i * 108 + 20, rva);
      return `${n} module names point at one ${chars}-character string`;
    },
  },
  {
    name: 'splice-seed',
    weight: 2,
    apply(input, rng, corpus) {
      const donors = corpus.filter((s) => s.kind === 'dump');
      if (donors.length === 0) return 'no donor';
      const donor = rng.pick(donors);
      const from = rng.int(0, Math.max(0, donor.bytes.length - 1));
      const len = Math.min(rng.size(16384), donor.bytes.length - from);
      const at = aimedOffset(input, rng);
      const chunk = donor.bytes.subarray(from, from + len).subarray(0, Math.max(0, input.bytes.length - at));
      input.bytes.set(chunk, at);
      return `${chunk.length} bytes of ${donor.path} spliced in at ${at}`;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Text mutators (on the decoded text; encoding comes after, see ENCODINGS)

export interface TextInput {
  text: string;
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** `extra` inserted before line `at` (no spread: a spread of 500 000 lines overflows the stack). */
function insertLines(ls: string[], at: number, extra: string[]): string {
  return ls.slice(0, at).concat(extra, ls.slice(at)).join('\n');
}

function repeatText(unit: string, count: number): string {
  return unit.repeat(Math.max(0, count));
}

const ODD_CHARS = ['\u00a0', '\u200b', '\u202e', '\ufeff', '\ufffd', '\ud800', '\udc00', '😀', '\u0000', '\u001b[31m', '\u2028', '\u0085', '\t'];

export const TEXT_MUTATORS: Mutator<TextInput>[] = [
  {
    name: 'endless-line',
    heavy: true,
    weight: 4,
    apply(input, rng) {
      const len = rng.pick([70_000, 1 << 20, rng.size(8 << 20)]);
      const unit = rng.pick(['A', '0', ' ', '0:000> ', 'ntdll!RtlUserThreadStart+0x21 ', '`']);
      const ls = lines(input.text);
      const at = rng.int(0, ls.length);
      ls.splice(at, 0, repeatText(unit, Math.ceil(len / unit.length)).slice(0, len));
      input.text = ls.join('\n');
      return `a ${len}-character line at line ${at}`;
    },
  },
  {
    name: 'many-short-lines',
    heavy: true,
    weight: 2,
    apply(input, rng) {
      const n = rng.pick([100_000, 1_000_000, 2_100_000, rng.size(3_000_000)]);
      const unit = rng.pick(['\n', 'a\n', '0:000> \n', ' \n', '\r', '> \n', '00 \n']);
      const ls = lines(input.text);
      const at = rng.int(0, ls.length);
      ls.splice(at, 0, repeatText(unit, n));
      input.text = ls.join('\n');
      return `${n} short lines (${JSON.stringify(unit)}) at line ${at}`;
    },
  },
  {
    name: 'repeated-thread-blocks',
    heavy: true,
    weight: 4,
    apply(input, rng) {
      const ls = lines(input.text);
      const header = ls.findIndex((l) => /\bId: [0-9a-f]+\.[0-9a-f]+/i.test(l));
      const times = rng.pick([100, 2500, 20_000]);
      let block: string[];
      if (header >= 0) {
        let end = header + 1;
        while (end < ls.length && end - header < 80 && !/\bId: [0-9a-f]+\.[0-9a-f]+/i.test(ls[end]!) && !/^\s*\d+:\d+(?::x86)?>/.test(ls[end]!)) end++;
        block = ls.slice(header, end);
      } else {
        block = ['.  0  Id: 1a2c.1b30 Suspend: 1 Teb: 000000c5`ad5a5000 Unfrozen', ' # Child-SP          RetAddr               Call Site', '00 000000c5`ad8ff5d8 00007ff8`d2a4e2c2     ntdll!NtWaitForSingleObject+0x14'];
      }
      // Bounded by size too: a block holding an endless line repeated 20 000 times would only
      // test how long the fuzzer takes to fail at building a string.
      const blockChars = block.reduce((n, l) => n + l.length + 1, 0);
      const reps = Math.max(1, Math.min(times, Math.floor((32 << 20) / Math.max(1, blockChars))));
      const out: string[] = [];
      for (let i = 0; i < reps; i++) {
        const tid = (0x100 + i).toString(16);
        for (const l of block) out.push(l.replace(/(\bId: [0-9a-f]+\.)[0-9a-f]+/i, `$1${tid}`).replace(/^([ .#]*)\d+(\s+Id:)/, `$1${i}$2`));
      }
      input.text = insertLines(ls, header >= 0 ? header : ls.length, out);
      return `a ${block.length}-line thread block repeated ${reps} times`;
    },
  },
  {
    name: 'deep-stack',
    heavy: true,
    weight: 2,
    apply(input, rng) {
      const n = rng.pick([5000, 100_000, 300_000]);
      const x64 = rng.chance(0.5);
      const out = [x64 ? ' # Child-SP          RetAddr               Call Site' : ' # ChildEBP RetAddr'];
      for (let i = 0; i < n; i++) {
        const num = (i & 0xff).toString(16).padStart(2, '0');
        out.push(x64 ? `${num} 00000000\`0016e190 00000000\`6b0064f2     app!Recurse+0x${(i % 4096).toString(16)}` : `${num} 0012fe4c 004011d3 app!Recurse+0x1e`);
      }
      const ls = lines(input.text);
      input.text = insertLines(ls, rng.int(0, ls.length), out);
      return `a ${n}-frame stack inserted`;
    },
  },
  {
    name: 'huge-numbers',
    weight: 5,
    apply(input, rng) {
      const huge = rng.pick(['ffffffffffffffff', 'ffffffff`ffffffff', '1'.repeat(40), '99999999999999999999', 'fffffffffffffffffffff', '0x' + 'f'.repeat(64), '-1', 'NaN']);
      let count = 0;
      const p = rng.pick([0.05, 0.3, 1]);
      input.text = input.text.replace(/\b[0-9a-f]{2,8}(`[0-9a-f]{8})?\b/gi, (m) => {
        if (!rng.chance(p)) return m;
        count++;
        return huge;
      });
      // Frame numbers too: "00 " at the head of a stack line.
      input.text = input.text.replace(/^([0-9a-f]{2}) /gim, (m) => (rng.chance(p) ? `${huge} ` : m));
      return `${count} numbers replaced by ${huge.slice(0, 24)}`;
    },
  },
  {
    name: 'cut-lines',
    weight: 5,
    apply(input, rng) {
      const ls = lines(input.text);
      const p = rng.pick([0.05, 0.3, 0.9]);
      let n = 0;
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i]!;
        if (l.length > 1 && rng.chance(p)) {
          ls[i] = l.slice(0, rng.int(1, l.length - 1));
          n++;
        }
      }
      input.text = ls.join('\n');
      return `${n} lines cut mid-token`;
    },
  },
  {
    name: 'cut-text',
    weight: 3,
    apply(input, rng) {
      const at = rng.int(0, input.text.length);
      input.text = input.text.slice(0, at);
      return `text cut at ${at}`;
    },
  },
  {
    name: 'line-ending-mix',
    weight: 5,
    apply(input, rng) {
      const ends = ['\n', '\r\n', '\r', '\n\r', '\r\r\n'];
      const fixed = rng.chance(0.3) ? rng.pick(ends) : null;
      const ls = lines(input.text.replace(/\r\n/g, '\n'));
      input.text = ls.map((l) => l + (fixed ?? rng.pick(ends))).join('');
      return fixed ? `every line ends ${JSON.stringify(fixed)}` : 'line endings mixed CRLF/CR/LF';
    },
  },
  {
    name: 'line-shuffle',
    weight: 3,
    apply(input, rng) {
      const ls = lines(input.text);
      const ops = rng.int(1, 40);
      for (let k = 0; k < ops && ls.length > 1; k++) {
        const i = rng.int(0, ls.length - 1);
        const j = rng.int(0, ls.length - 1);
        const r = rng.next();
        if (r < 0.33) ls.splice(i, 1);
        else if (r < 0.66) ls.splice(j, 0, ls[i]!);
        else [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      }
      input.text = ls.join('\n');
      return `${ops} lines deleted, duplicated or swapped`;
    },
  },
  {
    name: 'odd-characters',
    weight: 4,
    apply(input, rng) {
      const n = rng.int(1, 200);
      const chars = [...input.text];
      for (let i = 0; i < n && chars.length > 0; i++) chars.splice(rng.int(0, chars.length), 0, rng.pick(ODD_CHARS));
      input.text = chars.join('');
      return `${n} odd characters (NBSP, zero-width, lone surrogates, escapes) inserted`;
    },
  },
  {
    name: 'quote-nesting',
    heavy: true,
    weight: 2,
    apply(input, rng) {
      const depth = rng.pick([1, 3, 50, 2000]);
      const prefix = '> '.repeat(depth);
      input.text = lines(input.text)
        .map((l) => prefix + l)
        .join('\n');
      return `every line quoted ${depth} deep`;
    },
  },
  {
    name: 'long-token',
    weight: 2,
    apply(input, rng) {
      const ls = lines(input.text);
      const i = rng.int(0, Math.max(0, ls.length - 1));
      const token = rng.pick(['a', '!', '+0x', '`', '0']).repeat(rng.pick([5000, 60_000]));
      ls[i] = `${ls[i] ?? ''} ${token}`;
      input.text = ls.join('\n');
      return `a ${token.length}-character token on line ${i}`;
    },
  },
  {
    name: 'splice-text',
    weight: 3,
    apply(input, rng, corpus) {
      const donors = corpus.filter((s) => s.kind === 'text');
      if (donors.length === 0) return 'no donor';
      const donor = rng.pick(donors);
      const dl = lines(new TextDecoder().decode(donor.bytes));
      const from = rng.int(0, dl.length - 1);
      const chunk = dl.slice(from, from + rng.size(200));
      const ls = lines(input.text);
      input.text = insertLines(ls, rng.int(0, ls.length), chunk);
      return `${chunk.length} lines of ${donor.path} spliced in`;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Text → bytes, then byte-level damage

export interface Encoding {
  name: string;
  weight: number;
  encode(text: string, rng: Rng): Uint8Array;
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >> 8;
  }
  return out;
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i + 1 < out.length; i += 2) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return out;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const ENCODINGS: Encoding[] = [
  { name: 'utf-8', weight: 10, encode: (t) => utf8(t) },
  { name: 'utf-8 with BOM', weight: 1, encode: (t) => concat([Uint8Array.from([0xef, 0xbb, 0xbf]), utf8(t)]) },
  { name: 'utf-16le with BOM', weight: 2, encode: (t) => concat([Uint8Array.from([0xff, 0xfe]), utf16le(t)]) },
  { name: 'utf-16le', weight: 2, encode: (t) => utf16le(t) },
  { name: 'utf-16be with BOM', weight: 1, encode: (t) => concat([Uint8Array.from([0xfe, 0xff]), swapPairs(utf16le(t))]) },
  {
    name: 'utf-8 then utf-16le',
    weight: 2,
    encode(t, rng) {
      const at = rng.int(0, t.length);
      return concat([utf8(t.slice(0, at)), utf16le(t.slice(at))]);
    },
  },
  {
    name: 'windows-1252',
    weight: 1,
    encode(t) {
      const out = new Uint8Array(t.length);
      for (let i = 0; i < t.length; i++) out[i] = t.charCodeAt(i) & 0xff;
      return out;
    },
  },
];

export const BYTE_MUTATORS: Mutator<{ bytes: Uint8Array }>[] = [
  {
    name: 'binary-noise',
    weight: 4,
    apply(input, rng) {
      const len = rng.size(65536);
      const at = rng.int(0, input.bytes.length);
      input.bytes = concat([input.bytes.subarray(0, at), randomBytes(rng, len), input.bytes.subarray(at)]);
      return `${len} bytes of binary noise at ${at}`;
    },
  },
  {
    name: 'cut-odd',
    weight: 2,
    apply(input, rng) {
      const at = rng.int(0, input.bytes.length) | 1;
      input.bytes = input.bytes.slice(0, Math.min(at, input.bytes.length));
      return `bytes cut at odd offset ${at} (mid-character)`;
    },
  },
  {
    name: 'magic-head',
    weight: 1,
    apply(input, rng) {
      const magic = rng.pick([[0x4d, 0x44, 0x4d, 0x50], [0x89, 0x50, 0x4e, 0x47], [0x4d, 0x5a], [0x7f, 0x45, 0x4c, 0x46], [0x50, 0x41, 0x47, 0x45, 0x44, 0x55], [0xff, 0xfe], [0]]);
      input.bytes = concat([Uint8Array.from(magic), input.bytes]);
      return `prefixed with ${magic.map((b) => b.toString(16)).join(' ')}`;
    },
  },
];

export function pickWeighted<T extends { weight: number }>(items: readonly T[], rng: Rng): T {
  const total = items.reduce((n, m) => n + m.weight, 0);
  let r = rng.next() * total;
  for (const m of items) {
    r -= m.weight;
    if (r < 0) return m;
  }
  return items[items.length - 1]!;
}

export { dumpLayout };
