// Issue 12 fact (Hooked Functions): code in dump memory that differs from the module file it
// was loaded from. A hook (a detour, an IAT-less API interception, an injected "jmp" over a
// function's first bytes) changes code after the loader mapped it; the file still has the
// original. So for every module whose file the user gave beside the dump (matched by name, size
// of image and link timestamp, as the module index matches them), the bytes of its executable
// sections that the dump holds are compared with the file's, after applying the base
// relocations the loader applied when the module is not at its preferred base. What the
// loader writes into code on purpose (import address tables merged into .text) is left out.
//
// Without the file there is nothing to compare with, and the fact stays absent: a patch cannot
// be told from the original code by looking at the code alone. A MiniDumpNormal dump holds
// little code (a few hundred bytes around each thread's instruction pointer; Wine also adds
// nothing else), so a patch elsewhere is simply not seen; a full-memory dump holds all of it.
import type { ByteSource } from '../../io/byte-source.ts';
import { u16, u32, u64 } from '../../io/little-endian.ts';
import type { DumpMemory } from '../../memory/dump-memory.ts';
import { fileNameOf } from '../../names/module-names.ts';
import { fileImageReader, type ImageReader } from '../../pe/image-reader.ts';
import { isExecutableSection, parsePeHeaders, type PeHeaders } from '../../pe/pe-headers.ts';
import { callSiteOf, nameAddress } from '../../unwind/symbolize.ts';
import type { ModuleLookup } from '../../unwind/types.ts';
import { frameText } from '../../core/frame-text.ts';
import { hex } from '../../core/hex.ts';
import type { CodeIntegrity, CodePatch, Warning } from '../../core/dump-model.ts';

/** Code bytes compared per dump, all modules together (a full dump of a large process holds ~100 MB of code). */
export const MAX_CODE_COMPARED = 64 * 1024 * 1024;
/** Patches kept per dump; more means a wholesale difference (a packer, a wrong file), said in a warning. */
export const MAX_CODE_PATCHES = 64;
/** Base relocation entries read per image. */
export const MAX_RELOCATIONS = 1 << 21;
/** Bytes of each patch shown, in memory and in the file. */
const SHOWN_BYTES = 16;
/** Differences closer than this are one patch: a hook writes a few instructions, not single bytes. */
const MERGE_GAP = 8;
/** Bytes compared in one read. */
const CHUNK = 64 * 1024;

const DIR_IMPORT = 1;
const DIR_BASERELOC = 5;
const DIR_IAT = 12;
const REL_HIGHLOW = 3;
const REL_DIR64 = 10;

export interface CodeModule {
  /** Name or path from the module list. */
  name: string;
  base: bigint;
  size: bigint;
  timestamp: number | null;
}

export interface CodeCompareContext {
  memory: DumpMemory;
  /** Names addresses (module!export+off) for the report. */
  names: ModuleLookup;
  warnings: Warning[];
  /** True when the analysis ran out of time: compare no more. */
  timeUp: () => boolean;
}

interface Relocation {
  rva: number;
  width: 4 | 8;
}

/**
 * Compares each module with its file, when one was given. Null when no module had a usable
 * file or the dump holds none of their code.
 */
export async function compareCode(modules: readonly CodeModule[], files: readonly ByteSource[], c: CodeCompareContext): Promise<CodeIntegrity | null> {
  if (files.length === 0) return null;
  const byName = new Map<string, ByteSource>();
  for (const f of files) byName.set(fileNameOf(f.name).toLowerCase(), f);
  const result: CodeIntegrity = { modules: [], prologsChecked: 0, patches: [] };
  const budget = { left: MAX_CODE_COMPARED, patchesCut: 0 };
  for (const m of modules) {
    const file = byName.get(fileNameOf(m.name).toLowerCase());
    if (!file || c.timeUp()) continue;
    const compared = await compareModule(m, file, c, result.patches, budget);
    if (compared > 0) result.modules.push({ name: fileNameOf(m.name), comparedBytes: compared });
    if (budget.left <= 0) {
      c.warnings.push({ kind: 'cap-size', message: `code compared with module files stopped at ${MAX_CODE_COMPARED} bytes` });
      break;
    }
  }
  if (budget.patchesCut > 0) {
    c.warnings.push({ kind: 'cap-count', message: `${budget.patchesCut} more runs of code differ from the module files than the ${MAX_CODE_PATCHES} kept` });
  }
  return result.modules.length > 0 ? result : null;
}

async function compareModule(m: CodeModule, file: ByteSource, c: CodeCompareContext, patches: CodePatch[], budget: { left: number; patchesCut: number }): Promise<number> {
  let headers: PeHeaders;
  try {
    headers = await parsePeHeaders(fileImageReader(file));
  } catch {
    return 0; // the module index already says why the file is unusable
  }
  const stampOk = m.timestamp === null || m.timestamp === 0 || headers.timestamp === m.timestamp;
  if (BigInt(headers.sizeOfImage) !== m.size || !stampOk) return 0;
  const reader = fileImageReader(file).withSections(headers.sections, headers.sizeOfHeaders);
  const delta = m.base - headers.imageBase;
  const relocations = delta === 0n ? [] : await readRelocations(reader, headers, c.warnings);
  if (relocations === null) return 0; // moved, but its relocations cannot be read: every pointer would differ
  const skipped = [headers.dataDirectories[DIR_IAT], headers.dataDirectories[DIR_IMPORT]].filter((d) => d && d.size > 0) as { rva: number; size: number }[];

  let compared = 0;
  for (const section of headers.sections) {
    if (!isExecutableSection(section)) continue;
    const span = section.virtualSize || section.rawSize;
    const start = m.base + BigInt(section.virtualAddress);
    const end = start + BigInt(span);
    for (const r of rangesOverlapping(c.memory, start, end)) {
      const lo = r.base > start ? r.base : start;
      const hi = r.base + r.size < end ? r.base + r.size : end;
      for (let at = lo; at < hi; at += BigInt(CHUNK)) {
        if (budget.left <= 0 || c.timeUp()) return compared;
        const length = Number(hi - at < BigInt(CHUNK) ? hi - at : BigInt(CHUNK));
        const rva = Number(at - m.base);
        const found = await c.memory.read(at, length);
        const expected = await expectedBytes(reader, rva, length, delta, relocations);
        if (!found || !expected) continue;
        compared += length;
        budget.left -= length;
        for (const run of differingRuns(found, expected, rva, skipped)) {
          if (patches.length >= MAX_CODE_PATCHES) {
            budget.patchesCut++;
            continue;
          }
          const previous = patches[patches.length - 1];
          const address = m.base + BigInt(run.rva);
          // A run cut by a chunk boundary continues the previous one.
          if (previous && previous.module === fileNameOf(m.name) && BigInt(previous.address) + BigInt(previous.length) + BigInt(MERGE_GAP) > address) {
            previous.length = Number(address - BigInt(previous.address)) + run.length;
            continue;
          }
          patches.push(await describePatch(m, address, run, found, expected, c));
        }
      }
    }
  }
  return compared;
}

/**
 * The dump's captured ranges that overlap [start, end), found by binary search: a dump may hold
 * a million ranges, and every module and section asks.
 */
export function* rangesOverlapping(memory: DumpMemory, start: bigint, end: bigint): Generator<{ base: bigint; size: bigint }> {
  const ranges = memory.ranges;
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid]!;
    if (r.base + r.size <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < ranges.length && ranges[i]!.base < end; i++) yield ranges[i]!;
}

/** The file's bytes at `rva`, as the loader would have left them at the module's base. */
async function expectedBytes(reader: ImageReader, rva: number, length: number, delta: bigint, relocations: readonly Relocation[]): Promise<Uint8Array | null> {
  const bytes = await reader.read(rva, length);
  if (!bytes || delta === 0n) return bytes;
  const out = new Uint8Array(bytes);
  // A relocated value may straddle the chunk's edges: patch it in a copy that includes them.
  const first = lowerBound(relocations, rva - 8);
  for (let i = first; i < relocations.length && relocations[i]!.rva < rva + length; i++) {
    const r = relocations[i]!;
    const whole = await reader.read(r.rva, r.width);
    if (!whole) continue;
    const patched = new Uint8Array(r.width);
    const dv = new DataView(patched.buffer);
    if (r.width === 8) dv.setBigUint64(0, BigInt.asUintN(64, u64(whole, 0) + delta), true);
    else dv.setUint32(0, Number(BigInt.asUintN(32, BigInt(u32(whole, 0)) + delta)), true);
    for (let k = 0; k < r.width; k++) {
      const at = r.rva + k - rva;
      if (at >= 0 && at < length) out[at] = patched[k]!;
    }
  }
  return out;
}

function lowerBound(list: readonly Relocation[], rva: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.rva < rva) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The image's base relocations, sorted by RVA; null when it has some but they cannot be read. */
async function readRelocations(reader: ImageReader, headers: PeHeaders, warnings: Warning[]): Promise<Relocation[] | null> {
  const dir = headers.dataDirectories[DIR_BASERELOC];
  if (!dir || dir.size === 0) return [];
  const bytes = await reader.read(dir.rva, Math.min(dir.size, MAX_RELOCATIONS * 2));
  if (!bytes) return null;
  const out: Relocation[] = [];
  let at = 0;
  while (at + 8 <= bytes.length && out.length < MAX_RELOCATIONS) {
    const page = u32(bytes, at);
    const blockSize = u32(bytes, at + 4);
    if (blockSize < 8 || at + blockSize > bytes.length) break;
    for (let e = at + 8; e + 2 <= at + blockSize; e += 2) {
      const entry = u16(bytes, e);
      const type = entry >> 12;
      if (type === REL_DIR64) out.push({ rva: page + (entry & 0xfff), width: 8 });
      else if (type === REL_HIGHLOW) out.push({ rva: page + (entry & 0xfff), width: 4 });
    }
    at += blockSize;
  }
  if (out.length >= MAX_RELOCATIONS) warnings.push({ kind: 'cap-count', message: `${reader.name}: only the first ${MAX_RELOCATIONS} base relocations read` });
  return out.sort((a, b) => a.rva - b.rva);
}

interface Run {
  /** RVA of the first differing byte. */
  rva: number;
  /** Offset of that byte in the chunk. */
  offset: number;
  length: number;
}

/** Runs of differing bytes (closer than MERGE_GAP merged), outside the skipped directories. */
function differingRuns(found: Uint8Array, expected: Uint8Array, rva: number, skipped: readonly { rva: number; size: number }[]): Run[] {
  const runs: Run[] = [];
  let open: Run | null = null;
  let lastDiff = -1;
  for (let i = 0; i < found.length; i++) {
    if (found[i] === expected[i]) continue;
    const at = rva + i;
    if (skipped.some((d) => at >= d.rva && at < d.rva + d.size)) continue;
    if (open && i - lastDiff < MERGE_GAP) open.length = i - open.offset + 1;
    else {
      open = { rva: at, offset: i, length: 1 };
      runs.push(open);
    }
    lastDiff = i;
  }
  return runs;
}

function bytesText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

async function describePatch(m: CodeModule, address: bigint, run: Run, found: Uint8Array, expected: Uint8Array, c: CodeCompareContext): Promise<CodePatch> {
  const shown = Math.min(SHOWN_BYTES, Math.max(run.length, 5));
  const start = run.offset;
  const memoryBytes = (await c.memory.read(address, shown)) ?? found.subarray(start, start + shown);
  const fileBytes = expected.subarray(start, start + shown);
  const jump = await decodeJumpCovering(address, c);
  const place = frameText(callSiteOf(await nameAddress(address, c.names), address));
  return {
    basis: 'module file',
    module: fileNameOf(m.name),
    address: hex(address),
    place,
    length: run.length,
    found: bytesText(memoryBytes),
    expected: bytesText(fileBytes),
    jumpTarget: jump === null ? null : hex(jump),
    jumpTargetPlace: jump === null ? null : frameText(callSiteOf(await nameAddress(jump, c.names), jump)),
  };
}

/**
 * Where the patched code jumps, when an instruction starting at the first differing byte, or
 * up to 4 bytes before it (a hook's first bytes may happen to equal the original's), is a
 * jump that covers that byte.
 */
export async function decodeJumpCovering(address: bigint, c: { memory: DumpMemory }): Promise<bigint | null> {
  for (let back = 0n; back <= 4n; back++) {
    const at = address - back;
    const decoded = await decodeJump(at, c.memory, 1);
    if (decoded && at + BigInt(decoded.length) > address) return decoded.target;
  }
  return null;
}

/** The jump forms hooking libraries write over a function's first bytes (x64 and x86). */
async function decodeJump(at: bigint, memory: DumpMemory, hops: number): Promise<{ target: bigint; length: number } | null> {
  const b = await memory.read(at, 16);
  if (!b) return null;
  const wide = (v: bigint): bigint => BigInt.asUintN(64, v);
  // jmp rel32
  if (b[0] === 0xe9) return { target: wide(at + 5n + BigInt(i32(b, 1))), length: 5 };
  // jmp rel8: the 2-byte hot-patch jump, to the 5-byte jump in the padding above the function
  if (b[0] === 0xeb && hops > 0) {
    const next = wide(at + 2n + BigInt((b[1]! << 24) >> 24));
    const far = await decodeJump(next, memory, hops - 1);
    return far ? { target: far.target, length: 2 } : null;
  }
  // jmp [rip+disp32] (x64) or jmp [abs32] (x86): the target is the pointer there; the x64
  // form is read as RIP-relative, which is what every x64 hook writes
  if (b[0] === 0xff && b[1] === 0x25) {
    const pointer = wide(at + 6n + BigInt(i32(b, 2)));
    const p = await memory.read(pointer, 8);
    if (p) return { target: u64(p, 0), length: 6 };
    const abs = BigInt(u32(b, 2));
    const q = await memory.read(abs, 4);
    return q ? { target: BigInt(u32(q, 0)), length: 6 } : null;
  }
  // mov rax, imm64; jmp rax / push rax; ret — and the r11 variant (mov r11, imm64; jmp r11)
  if (b[0] === 0x48 && b[1] === 0xb8) {
    if ((b[10] === 0xff && b[11] === 0xe0) || (b[10] === 0x50 && b[11] === 0xc3)) return { target: u64(b, 2), length: 12 };
  }
  if (b[0] === 0x49 && b[1] === 0xbb && b[10] === 0x41 && b[11] === 0xff && b[12] === 0xe3) return { target: u64(b, 2), length: 13 };
  // push imm32; ret (x86) — and the x64 form push low; mov dword [rsp+4], high; ret
  if (b[0] === 0x68) {
    if (b[5] === 0xc3) return { target: BigInt(u32(b, 1)), length: 6 };
    if (b[5] === 0xc7 && b[6] === 0x44 && b[7] === 0x24 && b[8] === 0x04 && b[13] === 0xc3) {
      return { target: (BigInt(u32(b, 9)) << 32n) | BigInt(u32(b, 1)), length: 14 };
    }
  }
  return null;
}

function i32(bytes: Uint8Array, at: number): number {
  return u32(bytes, at) | 0;
}
