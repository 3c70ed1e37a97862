// The export directory: what WinDbg names addresses by when it has no PDB ("kernel32!
// BaseThreadInitThunk+0x14" is the nearest preceding export). Names, ordinals, forwarders.
// All counts are capped, and a name that cannot be read costs that one name, not the table.
import type { Warning } from '../core/dump-model.ts';
import type { ImageReader } from './image-reader.ts';
import { DIR_EXPORT, type PeHeaders } from './pe-headers.ts';
import { cString, u16, u32 } from '../io/little-endian.ts';

// Ordinals are 16-bit, so a real table never has more functions than this.
export const MAX_EXPORTS = 65536;
// Longest export or forwarder name kept (C++ decorated names run to a few hundred bytes).
export const MAX_EXPORT_NAME = 1024;

export interface ExportEntry {
  ordinal: number;
  rva: number;
  /** Null for an export by ordinal only. */
  name: string | null;
  /** "NTDLL.RtlAllocateHeap" when the export forwards to another DLL (rva then points at this text). */
  forwarder: string | null;
}

export interface ExportTable {
  /** The DLL's own name as the directory records it ("KERNEL32.dll"). */
  dllName: string | null;
  ordinalBase: number;
  /** Every exported function, sorted by rva then ordinal. */
  entries: ExportEntry[];
}

export async function readExports(reader: ImageReader, headers: PeHeaders, warnings: Warning[]): Promise<ExportTable | null> {
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

  // Names and forwarder strings normally sit inside the directory's own range, so one read of
  // that range serves almost every string; the rest are read one by one.
  const dirBytes = dir.size <= 16 * 1024 * 1024 ? await reader.read(dir.rva, dir.size) : null;
  const readString = async (rva: number): Promise<string | null> => {
    if (dirBytes && rva >= dir.rva && rva < dir.rva + dir.size) {
      const start = rva - dir.rva;
      return cString(dirBytes.subarray(start, Math.min(dirBytes.length, start + MAX_EXPORT_NAME)));
    }
    // Outside the directory: read a bounded window, shrinking it near the end of the image.
    for (let len = 256; len >= 16; len >>= 2) {
      const bytes = await reader.read(rva, Math.min(len, Math.max(0, headers.sizeOfImage - rva)));
      if (bytes && bytes.length > 0) return cString(bytes);
    }
    return null;
  };

  const functions = functionCount > 0 ? await reader.read(functionsRva, functionCount * 4) : new Uint8Array(0);
  if (!functions) {
    warn('export address table not available');
    return null;
  }
  const names = nameCount > 0 ? await reader.read(namesRva, nameCount * 4) : new Uint8Array(0);
  const ordinals = nameCount > 0 ? await reader.read(ordinalsRva, nameCount * 2) : new Uint8Array(0);
  const nameByIndex = new Map<number, string>();
  if (!names || !ordinals) {
    warn('export name tables not available; exports are known by ordinal only');
  } else {
    let unreadable = 0;
    for (let i = 0; i < nameCount; i++) {
      const index = u16(ordinals, i * 2);
      if (index >= functionCount || nameByIndex.has(index)) continue;
      const name = await readString(u32(names, i * 4));
      if (name === null) unreadable++;
      else nameByIndex.set(index, name);
    }
    if (unreadable > 0) warn(`${unreadable} export names could not be read`);
  }

  const entries: ExportEntry[] = [];
  for (let i = 0; i < functionCount; i++) {
    const rva = u32(functions, i * 4);
    if (rva === 0) continue; // a gap in the ordinal range
    const forwards = rva >= dir.rva && rva < dir.rva + dir.size;
    entries.push({
      ordinal: ordinalBase + i,
      rva,
      name: nameByIndex.get(i) ?? null,
      forwarder: forwards ? await readString(rva) : null,
    });
  }
  entries.sort((a, b) => a.rva - b.rva || a.ordinal - b.ordinal);
  const dllName = nameRva !== 0 ? await readString(nameRva) : null;
  return { dllName, ordinalBase, entries };
}

/**
 * The nearest export at or before `rva`, skipping forwarders (they are strings, not code),
 * as WinDbg picks it without symbols. `entries` must be sorted by rva.
 */
export function nearestExport(table: ExportTable, rva: number): ExportEntry | null {
  const list = table.entries;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.rva <= rva) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0; i--) {
    const e = list[i]!;
    if (e.forwarder === null) {
      // Several exports at one address: the named one with the lowest ordinal, so the
      // answer does not depend on table order.
      let best = e;
      for (let j = i - 1; j >= 0 && list[j]!.rva === e.rva; j--) {
        const c = list[j]!;
        if (c.forwarder === null && c.name !== null) best = c;
      }
      return best;
    }
  }
  return null;
}
