// Sorts what a reader dropped or picked into one input to analyse, the program images that
// help unwind it and the symbol files that name its functions. Told apart by content, never by
// name: "MDMP" opens a minidump, "MZ" an .exe/.dll, the MSF signature a PDB and a "MODULE "
// line a Breakpad .sym (src/engine/symbols/symbol-kind.ts); anything else goes to the engine,
// which reads debugger text or says what the file is (a PNG, a ZIP…). The one use of a name: a
// file called .pdb or .sym whose content is none of these (a linker's address map named
// app.exe.sym, a truncated PDB) was meant as symbols, so it goes with them and the engine says
// why it is not used, as the CLI does for --symbols, instead of being taken for a second input.
import { SYMBOL_SNIFF_BYTES, symbolFileKind } from '../engine/symbols/symbol-kind.ts';

export type FileKind = 'minidump' | 'image' | 'symbols' | 'other';

export interface SortedFiles {
  /** The input to analyse: the first minidump, else the first file that is neither dump nor image. */
  primary: File | null;
  images: File[];
  /** PDBs and Breakpad .sym files, and files named so that are neither (the engine says why). */
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
  const meantAsSymbols = (f: File, i: number): boolean => kinds[i] === 'other' && /\.(pdb|sym)$/i.test(f.name);
  const symbols = files.filter((f, i) => kinds[i] === 'symbols' || meantAsSymbols(f, i));
  const others = files.filter((f, i) => kinds[i] === 'other' && !meantAsSymbols(f, i));
  const primary = dumps[0] ?? others[0] ?? null;
  const ignored = [...dumps, ...others].filter((f) => f !== primary);
  return { primary, images, symbols, ignored };
}
