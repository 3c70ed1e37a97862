// Process memory as the dump captured it: the ranges of MemoryListStream (each with its own
// RVA) and Memory64ListStream (contiguous from BaseRva), sorted and made disjoint once, then
// looked up by binary search. Bytes are read from the ByteSource only when asked for.
import type { ByteSource } from '../io/byte-source.ts';
import type { AddressSpace, MemoryRange } from './address-space.ts';
import { DumpError } from '../core/errors.ts';
import type { WarningKind } from '../core/warnings.ts';

/** One captured range as the dump lists it. */
export interface RawRange {
  base: bigint;
  size: bigint | number;
  /** File offset of the range's first byte. */
  rva: bigint | number;
}

/** A range after normalisation: non-empty, inside the file, not overlapping its neighbours. */
export interface CapturedRange extends MemoryRange {
  /** File offset of `base`. */
  rva: number;
  /** base + size, kept: every lookup compares against it, and a BigInt sum is an allocation. */
  end: bigint;
}

/** Largest single read (16 MiB): callers read a stack, a PE header, a few pointers, never more. */
export const MAX_MEMORY_READ = 16 * 1024 * 1024;

const ADDRESS_LIMIT = 1n << 64n;

type Warn = (kind: WarningKind, message: string) => void;

/**
 * Sorts and cleans ranges: drops empty ones and those wholly past the end of the file, cuts
 * those running past the file or past 2^64, and trims overlaps (the lower-based range wins; a
 * range inside another is dropped). Each kind of repair is reported once.
 */
export function normalizeRanges(raw: readonly RawRange[], fileSize: number, warn: Warn): CapturedRange[] {
  const file = BigInt(fileSize);
  let missingBytes = 0n;
  let missingRanges = 0;
  let wrapped = 0;
  const clean: CapturedRange[] = [];
  for (const r of raw) {
    let size = BigInt(r.size);
    const rva = BigInt(r.rva);
    if (size <= 0n || r.base < 0n || r.base >= ADDRESS_LIMIT) continue;
    if (r.base + size > ADDRESS_LIMIT) {
      wrapped++;
      size = ADDRESS_LIMIT - r.base;
    }
    if (rva + size > file) {
      const kept = rva >= file ? 0n : file - rva;
      missingBytes += size - kept;
      missingRanges++;
      size = kept;
      if (size === 0n) continue;
    }
    clean.push({ base: r.base, size, rva: Number(rva), end: r.base + size });
  }
  if (wrapped > 0) warn('memory-range-corrupt', `${wrapped} memory range(s) run past the top of the address space; cut at 2^64`);
  if (missingRanges > 0) {
    warn('memory-truncated', `${missingRanges} memory range(s) lose ${missingBytes} bytes past the end of the file`);
  }

  clean.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  const out: CapturedRange[] = [];
  let overlaps = 0;
  for (const r of clean) {
    const prev = out[out.length - 1];
    const prevEnd = prev === undefined ? -1n : prev.end;
    if (prev !== undefined && r.base < prevEnd) {
      overlaps++;
      if (r.end <= prevEnd) continue;
      const cut = prevEnd - r.base;
      out.push({ base: prevEnd, size: r.size - cut, rva: r.rva + Number(cut), end: r.end });
    } else {
      out.push(r);
    }
  }
  if (overlaps > 0) warn('memory-overlap', `${overlaps} memory range(s) overlap others; the lower range's bytes are used`);
  return out;
}

export class DumpMemory implements AddressSpace {
  readonly source: ByteSource;
  /** Sorted by base, disjoint, inside the file. */
  readonly ranges: readonly CapturedRange[];

  constructor(source: ByteSource, ranges: readonly RawRange[], warn: Warn = () => {}) {
    this.source = source;
    this.ranges = normalizeRanges(ranges, source.size, warn);
  }

  /** Total captured bytes. */
  get totalBytes(): bigint {
    return this.ranges.reduce((sum, r) => sum + r.size, 0n);
  }

  #indexAt(address: bigint): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.ranges[mid];
      if (r === undefined) break;
      if (address < r.base) hi = mid - 1;
      else if (address >= r.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  rangeAt(address: bigint): CapturedRange | null {
    return this.ranges[this.#indexAt(address)] ?? null;
  }

  /**
   * See AddressSpace.backingKey: a range captured whole in one piece of the file is keyed by that
   * piece; any other gets null (nothing shared). Aliases of one image (a hostile dump lists one
   * file range under many modules) are captured that way; real modules are not aliases.
   */
  backingKey(base: bigint, size: bigint): string | null {
    const r = this.rangeAt(base);
    return r && base + size <= r.end ? `${r.rva + Number(base - r.base)}+${size}` : null;
  }

  /** File offset of the byte at `address`, or null when it was not captured. */
  fileOffset(address: bigint): number | null {
    const r = this.rangeAt(address);
    return r === null ? null : r.rva + Number(address - r.base);
  }

  /**
   * The bytes at `address` when the source already holds them (see ByteSource.peek) and one
   * captured range has them all: a view, to read at once. Undefined when only read() can tell.
   */
  peek(address: bigint, length: number): Uint8Array | undefined {
    return this.#heldIn(this.#indexAt(address), address, length);
  }

  /** peek() within the range at `index`, already looked up. */
  #heldIn(index: number, address: bigint, length: number): Uint8Array | undefined {
    const peekSource = this.source.peek;
    const r = this.ranges[index];
    if (peekSource === undefined || r === undefined) return undefined;
    const offset = Number(address - r.base);
    if (offset + length > Number(r.size)) return undefined;
    return peekSource.call(this.source, r.rva + offset, length);
  }

  async read(address: bigint, length: number): Promise<Uint8Array | null> {
    if (!Number.isInteger(length) || length < 0) throw new DumpError('corrupt', `memory read of ${length} bytes`);
    if (length > MAX_MEMORY_READ) {
      throw new DumpError('too-large', `memory read of ${length} bytes at 0x${address.toString(16)} exceeds ${MAX_MEMORY_READ}`);
    }
    if (length === 0) return new Uint8Array(0);
    if (address < 0n || address + BigInt(length) > ADDRESS_LIMIT) return null;
    let index = this.#indexAt(address);
    if (index < 0) return null;
    const held = this.#heldIn(index, address, length);
    if (held) return held.slice();
    const out = new Uint8Array(length);
    let done = 0;
    let at = address;
    while (done < length) {
      const r = this.ranges[index];
      // The next range must start exactly where the previous one ended: a gap is missing memory.
      if (r === undefined || at < r.base || at >= r.end) return null;
      const offset = at - r.base;
      const n = Number(r.size - offset < BigInt(length - done) ? r.size - offset : BigInt(length - done));
      const bytes = await this.source.read(r.rva + Number(offset), n);
      if (bytes.length < n) return null;
      out.set(bytes, done);
      done += n;
      at += BigInt(n);
      index++;
    }
    return out;
  }

  /** Reads a little-endian pointer-sized value (4 or 8 bytes), or null when not captured. */
  async readPointer(address: bigint, size: 4 | 8): Promise<bigint | null> {
    const b = await this.read(address, size);
    if (b === null) return null;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return size === 8 ? v.getBigUint64(0, true) : BigInt(v.getUint32(0, true));
  }
}
