// The debug directory's CodeView record: which PDB matches this image. RSDS (PDB 7.0) carries
// a GUID and an age, NB10 (PDB 2.0) a 32-bit signature and an age. The record is the one a
// minidump's module list points at, so its bytes are decoded by minidump/codeview.ts; this
// module finds it in an image and spells it the way PE tooling does (upper-case GUID).
import type { Warning } from '../core/dump-model.ts';
import type { ImageReader } from './image-reader.ts';
import { DIR_DEBUG, type PeHeaders } from './pe-headers.ts';
import { BinaryReader } from '../io/binary-reader.ts';
import { parseCodeView as parseCodeViewRecord } from '../minidump/codeview.ts';
import { cString, u32 } from '../io/little-endian.ts';

const IMAGE_DEBUG_TYPE_CODEVIEW = 2;
// Real images have a handful of debug entries (CodeView, POGO, VC feature, repro…).
const MAX_DEBUG_ENTRIES = 64;
// A CodeView record is 24 bytes plus a path; paths are far shorter than this.
const MAX_CODEVIEW_BYTES = 4096;

export interface CodeViewRecord {
  format: 'RSDS' | 'NB10';
  /** The PDB path as the linker wrote it ("C:\\src\\out\\app.pdb"). */
  pdbName: string;
  /** RSDS: "0F45B791-9A96-46F9-BF8F-2D6076EA421A"; null for NB10. */
  guid: string | null;
  /** NB10: the 32-bit signature; null for RSDS. */
  signature: number | null;
  age: number;
  /** Breakpad's debug identifier, also the symbol server's key: "0F45B7919A9646F9BF8F2D6076EA421A11". */
  debugId: string;
}

/** Decodes a CodeView record from its bytes, or null when it is neither RSDS nor NB10. */
export function parseCodeView(bytes: Uint8Array): CodeViewRecord | null {
  const record = parseCodeViewRecord(new BinaryReader(bytes, 'CodeView record'));
  if (record?.kind === 'pdb70') {
    return {
      format: 'RSDS',
      pdbName: record.pdbName,
      guid: record.guid.toUpperCase(),
      signature: null,
      age: record.age,
      debugId: record.debugId,
    };
  }
  if (record?.kind === 'pdb20') {
    return {
      format: 'NB10',
      // An image's own strings are read as UTF-8 here (section names, exports), its NB10 path too.
      pdbName: cString(bytes.subarray(16)),
      guid: null,
      signature: record.signature,
      age: record.age,
      debugId: record.debugId,
    };
  }
  // Breakpad's ELF build-id records only occur in minidump module lists, never in a PE image.
  return null;
}

export async function readCodeView(reader: ImageReader, headers: PeHeaders, warnings: Warning[]): Promise<CodeViewRecord | null> {
  const dir = headers.dataDirectories[DIR_DEBUG];
  if (!dir || dir.rva === 0 || dir.size < 28) return null;
  const count = Math.min(Math.floor(dir.size / 28), MAX_DEBUG_ENTRIES);
  const table = await reader.read(dir.rva, count * 28);
  if (!table) {
    warnings.push({ kind: 'pe-debug', message: `${reader.name}: debug directory not available` });
    return null;
  }
  for (let i = 0; i < count; i++) {
    const at = i * 28;
    if (u32(table, at + 12) !== IMAGE_DEBUG_TYPE_CODEVIEW) continue;
    const size = Math.min(u32(table, at + 16), MAX_CODEVIEW_BYTES);
    const rva = u32(table, at + 20);
    const fileOffset = u32(table, at + 24);
    // A mapped image has the record at its RVA; a file may only say where it lies on disk
    // (records outside any section have no RVA at all).
    let bytes = rva !== 0 ? await reader.read(rva, size) : null;
    if (!bytes && fileOffset !== 0) bytes = await reader.readFileOffset(fileOffset, size);
    if (!bytes) {
      warnings.push({ kind: 'pe-debug', message: `${reader.name}: CodeView record not available` });
      return null;
    }
    const record = parseCodeView(bytes);
    if (record) return record;
    warnings.push({ kind: 'pe-debug', message: `${reader.name}: CodeView record has an unknown format` });
    return null;
  }
  return null;
}
