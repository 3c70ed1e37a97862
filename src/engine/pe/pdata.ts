// The exception directory (.pdata) of an x64 image: RUNTIME_FUNCTION {BeginAddress,
// EndAddress, UnwindInfoAddress} sorted by BeginAddress, one per non-leaf function. The
// unwinder looks up the entry that holds an RVA by binary search. The table may be partly
// absent from a dump, so it is read whole when possible and entry by entry otherwise.
import type { Warning } from '../core/dump-model.ts';
import type { ImageReader } from './image-reader.ts';
import { DIR_EXCEPTION, IMAGE_FILE_MACHINE_AMD64, type PeHeaders } from './pe-headers.ts';
import { u32 } from '../io/little-endian.ts';

const ENTRY_SIZE = 12;
// The largest real images have a few hundred thousand functions; 2^21 entries (24 MiB of
// table) leaves room and still bounds a corrupt size field.
export const MAX_RUNTIME_FUNCTIONS = 1 << 21;
// Tables up to this size are read in one go and kept; larger ones are probed on demand.
const WHOLE_TABLE_BYTES = 4 * 1024 * 1024;

export interface RuntimeFunction {
  begin: number;
  end: number;
  /** RVA of the UNWIND_INFO. */
  unwindInfo: number;
}

/**
 * A lookup's answer. 'leaf': the table was read and no entry holds the RVA, so the function
 * neither moves RSP nor saves registers and its return address is at [RSP]. 'unknown': part
 * of the table or the entry could not be read or is corrupt; nothing can be concluded.
 */
export type FunctionLookup = { kind: 'found'; fn: RuntimeFunction } | { kind: 'leaf' } | { kind: 'unknown' };

export class FunctionTable {
  readonly count: number;
  readonly #reader: ImageReader;
  readonly #rva: number;
  readonly #sizeOfImage: number;
  readonly #warnings: Warning[];
  #whole: Uint8Array | null;

  private constructor(reader: ImageReader, rva: number, count: number, sizeOfImage: number, whole: Uint8Array | null, warnings: Warning[]) {
    this.#reader = reader;
    this.#rva = rva;
    this.count = count;
    this.#sizeOfImage = sizeOfImage;
    this.#whole = whole;
    this.#warnings = warnings;
  }

  /** The image's function table, or null when it has none (x86 images, ARM64 is not read). */
  static async open(reader: ImageReader, headers: PeHeaders, warnings: Warning[]): Promise<FunctionTable | null> {
    if (headers.machine !== IMAGE_FILE_MACHINE_AMD64) return null;
    const dir = headers.dataDirectories[DIR_EXCEPTION];
    if (!dir || dir.rva === 0 || dir.size === 0) return null;
    const warn = (message: string): void => {
      warnings.push({ kind: 'pe-pdata', message: `${reader.name}: ${message}` });
    };
    if (dir.rva >= headers.sizeOfImage || dir.size > headers.sizeOfImage - dir.rva) {
      warn(`exception directory 0x${dir.rva.toString(16)}+0x${dir.size.toString(16)} lies outside the image`);
      return null;
    }
    if (dir.size % ENTRY_SIZE !== 0) warn(`exception directory size 0x${dir.size.toString(16)} is not a multiple of 12`);
    let count = Math.floor(dir.size / ENTRY_SIZE);
    if (count > MAX_RUNTIME_FUNCTIONS) {
      warn(`exception directory claims ${count} functions; using the first ${MAX_RUNTIME_FUNCTIONS}`);
      count = MAX_RUNTIME_FUNCTIONS;
    }
    const bytes = count * ENTRY_SIZE;
    const whole = bytes <= WHOLE_TABLE_BYTES ? await reader.read(dir.rva, bytes) : null;
    return new FunctionTable(reader, dir.rva, count, headers.sizeOfImage, whole, warnings);
  }

  /** Bytes held: the table when it was read whole. */
  get heldBytes(): number {
    return this.#whole?.length ?? 0;
  }

  /** Entry `index`, or null when its bytes are not available. */
  async entry(index: number): Promise<RuntimeFunction | null> {
    if (index < 0 || index >= this.count) return null;
    const at = index * ENTRY_SIZE;
    const bytes = this.#whole ? this.#whole.subarray(at, at + ENTRY_SIZE) : await this.#reader.read(this.#rva + at, ENTRY_SIZE);
    if (!bytes) return null;
    return { begin: u32(bytes, 0), end: u32(bytes, 4), unwindInfo: u32(bytes, 8) };
  }

  /** The function entry holding `rva`, by binary search. */
  async lookup(rva: number): Promise<FunctionLookup> {
    const candidate = this.#whole ? this.#candidateInWhole(rva) : await this.#candidateByProbing(rva);
    if (candidate === 'unknown') return { kind: 'unknown' };
    if (!candidate) return { kind: 'leaf' };
    // A corrupt entry says nothing about the RVAs after it: not a leaf, unknown.
    if (candidate.end <= candidate.begin || candidate.end > this.#sizeOfImage) {
      this.#warn(`function table entry 0x${candidate.begin.toString(16)}-0x${candidate.end.toString(16)} is corrupt`);
      return { kind: 'unknown' };
    }
    if (rva >= candidate.end) return { kind: 'leaf' };
    // Low bit set: the entry points at another RUNTIME_FUNCTION (the primary one of a split
    // function), not at unwind info. One level only, as the loader follows it.
    if ((candidate.unwindInfo & 1) !== 0) {
      const bytes = await this.#reader.read(candidate.unwindInfo & ~1, ENTRY_SIZE);
      if (!bytes) {
        this.#warn(`indirect function entry at 0x${(candidate.unwindInfo & ~1).toString(16)} not available`);
        return { kind: 'unknown' };
      }
      const target = { begin: u32(bytes, 0), end: u32(bytes, 4), unwindInfo: u32(bytes, 8) };
      if ((target.unwindInfo & 1) !== 0 || target.end <= target.begin) {
        this.#warn(`indirect function entry at 0x${(candidate.unwindInfo & ~1).toString(16)} is corrupt`);
        return { kind: 'unknown' };
      }
      return { kind: 'found', fn: target };
    }
    return { kind: 'found', fn: candidate };
  }

  /**
   * The last entry beginning at or below `rva` in a table read whole: a plain loop over the
   * bytes, since a walk looks up every frame and the probes of a search need no entry objects.
   */
  #candidateInWhole(rva: number): RuntimeFunction | null {
    const whole = this.#whole!;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (u32(whole, mid * ENTRY_SIZE) <= rva) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return null;
    const at = found * ENTRY_SIZE;
    return { begin: u32(whole, at), end: u32(whole, at + 4), unwindInfo: u32(whole, at + 8) };
  }

  /** The same search over a table too large to hold, one entry read per probe. */
  async #candidateByProbing(rva: number): Promise<RuntimeFunction | null | 'unknown'> {
    let lo = 0;
    let hi = this.count - 1;
    let candidate: RuntimeFunction | null = null;
    // At most log2(2^21) + 1 probes; the loop cannot run longer whatever the bytes say.
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = await this.entry(mid);
      if (!e) {
        this.#warn(`function table entry ${mid} not available`);
        return 'unknown';
      }
      if (e.begin <= rva) {
        candidate = e;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return candidate;
  }

  #warn(message: string): void {
    // One warning per kind of trouble is enough for a reader; a walk may probe many times.
    const text = `${this.#reader.name}: ${message}`;
    if (this.#warnings.length < 200 && !this.#warnings.some((w) => w.message === text)) {
      this.#warnings.push({ kind: 'pe-pdata', message: text });
    }
  }
}
