// Opens a symbol file with the reader its content asks for. The readers are loaded on first use
// (dynamic import): in the browser each is a chunk of its own, fetched only when a reader drops
// a PDB or a .sym, so the analyzer's first load stays small; in Node the import is a plain
// module load. A file that cannot be used becomes a warning value naming it, never a throw.
import type { Warning } from '../core/warnings.ts';
import { DumpError } from '../core/errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { SymbolFile, SymbolReadLimits } from '../symbols/symbol-file.ts';
import { SYMBOL_SNIFF_BYTES, symbolFileKind } from '../symbols/symbol-kind.ts';

export type OpenedSymbolFile = { ok: true; file: SymbolFile } | { ok: false; warning: Warning };

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

export async function openSymbolFile(source: ByteSource, limits: SymbolReadLimits): Promise<OpenedSymbolFile> {
  const unreadable = (message: string): OpenedSymbolFile => ({ ok: false, warning: { kind: 'symbols-unreadable', message } });
  let head: Uint8Array;
  try {
    head = await source.read(0, SYMBOL_SNIFF_BYTES);
  } catch (err) {
    return unreadable(`${source.name}: cannot be read: ${oneLine(err)}`);
  }
  const kind = symbolFileKind(head);
  try {
    if (kind === 'pdb' || kind === 'pdb-msf2') {
      const { openPdb } = await import('../pdb/open-pdb.ts');
      return { ok: true, file: await openPdb(source, limits) };
    }
    if (kind === 'breakpad-sym') {
      const { openBreakpadSym } = await import('../breakpad-sym/open-breakpad-sym.ts');
      return { ok: true, file: await openBreakpadSym(source, limits) };
    }
  } catch (err) {
    // The readers' errors already name the file and say why in one line.
    const message = oneLine(err);
    if (err instanceof DumpError && err.kind === 'cancelled') throw err;
    return unreadable(message.startsWith(source.name) ? message : `${source.name}: ${message}`);
  }
  return unreadable(`${source.name} is neither a PDB nor a Breakpad symbol file; not used`);
}
