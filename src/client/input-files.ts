// Sorts what a reader dropped or picked into one input to analyse, the program images that
// help unwind it and the symbol files that name its functions. Told apart by content, never by
// name: "MDMP" opens a minidump, "MZ" an .exe/.dll, the MSF signature a PDB and a "MODULE "
// line a Breakpad .sym (src/engine/symbols/symbol-kind.ts); anything else goes to the engine,
// which reads debugger text or says what the file is (a PNG, a ZIP…).
import { SYMBOL_SNIFF_BYTES, symbolFileKind } from '../engine/symbols/symbol-kind.ts';

export type FileKind = 'minidump' | 'image' | 'symbols' | 'other';

export interface SortedFiles {
  /** The input to analyse: the first minidump, else the first file that is neither dump nor image. */
  primary: File | null;
  images: File[];
  /** PDBs and Breakpad .sym files. */
  symbols: File[];
  /** Further dumps or logs that are not analysed in this run. */
  ignored: File[];
}

export async function fileKind(file: Blob): Promise<FileKind> {
  const head = new Uint8Array(await file.slice(0, SYMBOL_SNIFF_BYTES).arrayBuffer());
  if (head[0] === 0x4d && head[1] === 0x44 && head[2] === 0x4d && head[3] === 0x50) return 'minidump';
  if (head[0] === 0x4d && head[1] === 0x5a) return 'image';
  if (symbolFileKind(head) !== null) return 'symbols';
  return 'other';
}

export async function sortFiles(files: readonly File[]): Promise<SortedFiles> {
  const kinds = await Promise.all(files.map(fileKind));
  const dumps = files.filter((_, i) => kinds[i] === 'minidump');
  const images = files.filter((_, i) => kinds[i] === 'image');
  const symbols = files.filter((_, i) => kinds[i] === 'symbols');
  const others = files.filter((_, i) => kinds[i] === 'other');
  const primary = dumps[0] ?? others[0] ?? null;
  const ignored = [...dumps, ...others].filter((f) => f !== primary);
  return { primary, images, symbols, ignored };
}
