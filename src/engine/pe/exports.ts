// The export directory: what WinDbg names addresses by when it has no PDB ("kernel32!
// BaseThreadInitThunk+0x14" is the nearest preceding export). Names, ordinals, forwarders.
//
// What it costs is bounded by the table's count, not by its strings: the directory is kept as
// typed arrays (RVA, ordinal, name RVA, forwarder flag: 15 bytes an export, about 1 MB for the
// largest table the format allows), and a name is decoded only when an address is named by it,
// then kept in a small cache. A table whose 65,536 names all point at one long string (a
// hostile image) costs what a real one does. All counts are capped, and a name that cannot be
// read costs that one name, not the table.
import type { Warning } from '../core/dump-model.ts';
import type { ImageReader } from './image-reader.ts';
import { DIR_EXPORT, type PeHeaders } from './pe-headers.ts';
import { cString, u16, u32 } from '../io/little-endian.ts';

// Ordinals are 16-bit, so a real table never has more functions than this.
export const MAX_EXPORTS = 65536;
// Longest export or forwarder name kept (C++ decorated names run to a few hundred bytes).
export const MAX_EXPORT_NAME = 1024;
/** Decoded names kept per table; a stack names a few dozen exports of one module at most. */
export const MAX_CACHED_EXPORT_NAMES = 256;
/** Entries handled between two polls of the caller's stop condition (the time budget). */
const POLL_EVERY = 4096;

export interface ExportEntry {
  ordinal: number;
  rva: number;
  /** Null for an export by ordinal only. */
  name: string | null;
  /** "NTDLL.RtlAllocateHeap" when the export forwards to another DLL (rva then points at this text). */
  forwarder: string | null;
}

export interface ReadExportsOptions {
  /** Polled while the table is built; true stops it (the table is then not read, null). */
  shouldStop?: () => boolean;
}

/** An export directory, read once; see the file comment for what it holds. */
export interface ExportTable {
  /** The DLL's own name as the directory records it ("KERNEL32.dll"). */
  readonly dllName: string | null;
  readonly ordinalBase: number;
  /** By position, sorted by RVA then ordinal: each export's RVA, its index in the address table (ordinal - base), its name's RVA (0: none), 1 for a forwarder. */
  readonly rvas: Uint32Array;
  readonly indexes: Uint16Array;
  readonly nameRvas: Uint32Array;
  readonly forwards: Uint8Array;
  /** Bytes the table holds, for the caches that bound them. */
  heldBytes(): number;
  /** The NUL-terminated string at `rva` (a name or a forwarder), decoded on first use and kept (a few hundred at most); null when unreadable. */
  string(rva: number): Promise<string | null>;
  /**
   * The position of the export WinDbg names `rva` by: the nearest at or before it, skipping
   * forwarders (they are strings, not code); of several at one address the named one with the
   * lowest ordinal, so the answer does not depend on table order. -1 when none precedes it.
   */
  nearest(rva: number): number;
}

function exportTable(reader: ImageReader, sizeOfImage: number, dllName: string | null, ordinalBase: number, rvas: Uint32Array, indexes: Uint16Array, nameRvas: Uint32Array, forwards: Uint8Array): ExportTable {
  // For each position, the export `nearest` answers when that is the last one at or below an address.
  const answer = nearestAnswers(rvas, nameRvas, forwards);
  const names = new Map<number, Promise<string | null>>();
  return {
    dllName,
    ordinalBase,
    rvas,
    indexes,
    nameRvas,
    forwards,
    heldBytes: () => rvas.length * 15 + names.size * 96 + 256,
    string(rva) {
      let text = names.get(rva);
      if (!text) {
        if (names.size >= MAX_CACHED_EXPORT_NAMES) names.delete(names.keys().next().value!);
        text = readExportString(reader, rva, sizeOfImage);
        names.set(rva, text);
      }
      return text;
    },
    nearest(rva) {
      let lo = 0;
      let hi = rvas.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (rvas[mid]! <= rva) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found < 0 ? -1 : answer[found]!;
    },
  };
}

/** Every entry of a table with its strings decoded (tests, small tables). */
export async function listExports(table: ExportTable): Promise<ExportEntry[]> {
  const out: ExportEntry[] = [];
  for (let i = 0; i < table.rvas.length; i++) {
    const rva = table.rvas[i]!;
    const nameRva = table.nameRvas[i]!;
    out.push({ ordinal: table.ordinalBase + table.indexes[i]!, rva, name: nameRva === 0 ? null : await table.string(nameRva), forwarder: table.forwards[i] ? await table.string(rva) : null });
  }
  return out;
}

/**
 * The NUL-terminated string at `rva`, at most MAX_EXPORT_NAME bytes, read forward in pieces: a
 * piece that would run off the section or the captured memory is halved, so a name just before
 * the end is read whole and a missing page costs only the bytes after it.
 */
async function readExportString(reader: ImageReader, rva: number, sizeOfImage: number): Promise<string | null> {
  const out: number[] = [];
  let piece = 64;
  while (out.length < MAX_EXPORT_NAME && rva + out.length < sizeOfImage) {
    const bytes = await reader.read(rva + out.length, Math.min(piece, MAX_EXPORT_NAME - out.length, sizeOfImage - rva - out.length));
    if (!bytes?.length) {
      if (piece === 1) break;
      piece = Math.max(1, piece >> 2);
      continue;
    }
    const nul = bytes.indexOf(0);
    out.push(...(nul < 0 ? bytes : bytes.subarray(0, nul)));
    if (nul >= 0) return cString(Uint8Array.from(out));
  }
  return out.length > 0 ? cString(Uint8Array.from(out)) : null;
}

function nearestAnswers(rvas: Uint32Array, nameRvas: Uint32Array, forwards: Uint8Array): Int32Array {
  const n = rvas.length;
  const answer = new Int32Array(n);
  // best[e] for a code export e: the lowest-ordinal named code export at e's address below it,
  // else e itself. Entries at one address are adjacent, lowest ordinal first.
  let groupRva = -1;
  let firstNamed = -1;
  let lastCode = -1;
  for (let i = 0; i < n; i++) {
    if (rvas[i] !== groupRva) {
      groupRva = rvas[i]!;
      firstNamed = -1;
    }
    if (forwards[i] === 0) {
      lastCode = firstNamed >= 0 ? firstNamed : i;
      if (firstNamed < 0 && nameRvas[i] !== 0) firstNamed = i;
    }
    answer[i] = lastCode;
  }
  return answer;
}

export async function readExports(reader: ImageReader, headers: PeHeaders, warnings: Warning[], options: ReadExportsOptions = {}): Promise<ExportTable | null> {
  const dir = headers.dataDirectories[DIR_EXPORT];
  if (!dir || dir.rva === 0 || dir.size === 0) return null;
  const warn = (message: string): void => {
    warnings.push({ kind: 'pe-exports', message: `${reader.name}: ${message}` });
  };
  const head = await reader.read(dir.rva, 40);
  if (!head) {
    warn('export directory not available');
    return null;
  }
  const nameRva = u32(head, 12);
  const ordinalBase = u32(head, 16);
  let functionCount = u32(head, 20);
  let nameCount = u32(head, 24);
  const functionsRva = u32(head, 28);
  const namesRva = u32(head, 32);
  const ordinalsRva = u32(head, 36);
  if (functionCount > MAX_EXPORTS) {
    warn(`export table claims ${functionCount} functions; reading the first ${MAX_EXPORTS}`);
    functionCount = MAX_EXPORTS;
  }
  if (nameCount > MAX_EXPORTS) {
    warn(`export table claims ${nameCount} names; reading the first ${MAX_EXPORTS}`);
    nameCount = MAX_EXPORTS;
  }

  const functions = functionCount > 0 ? await reader.read(functionsRva, functionCount * 4) : new Uint8Array(0);
  if (!functions) {
    warn('export address table not available');
    return null;
  }
  const names = nameCount > 0 ? await reader.read(namesRva, nameCount * 4) : new Uint8Array(0);
  const ordinals = nameCount > 0 ? await reader.read(ordinalsRva, nameCount * 2) : new Uint8Array(0);
  // Name RVA by function index; the first name given to an index wins.
  const nameOfIndex = new Uint32Array(functionCount);
  if (!names || !ordinals) {
    warn('export name tables not available; exports are known by ordinal only');
  } else {
    for (let i = 0; i < nameCount; i++) {
      if (i % POLL_EVERY === 0 && options.shouldStop?.()) return null;
      const index = u16(ordinals, i * 2);
      if (index >= functionCount || nameOfIndex[index] !== 0) continue;
      nameOfIndex[index] = u32(names, i * 4);
    }
  }

  // Sort by (rva, index) as one number: rva < 2^32 and index < 2^16 fit a double exactly.
  const keys: number[] = [];
  for (let i = 0; i < functionCount; i++) {
    if (i % POLL_EVERY === 0 && options.shouldStop?.()) return null;
    const rva = u32(functions, i * 4);
    if (rva !== 0) keys.push(rva * 65536 + i); // rva 0: a gap in the ordinal range
  }
  const sorted = Float64Array.from(keys).sort();
  const n = sorted.length;
  const rvas = new Uint32Array(n);
  const indexes = new Uint16Array(n);
  const nameRvas = new Uint32Array(n);
  const forwards = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const key = sorted[p]!;
    const rva = Math.floor(key / 65536);
    const index = key % 65536;
    rvas[p] = rva;
    indexes[p] = index;
    nameRvas[p] = nameOfIndex[index]!;
    forwards[p] = rva >= dir.rva && rva < dir.rva + dir.size ? 1 : 0;
  }
  const dllName = nameRva !== 0 ? await readExportString(reader, nameRva, headers.sizeOfImage) : null;
  return exportTable(reader, headers.sizeOfImage, dllName, ordinalBase, rvas, indexes, nameRvas, forwards);
}
