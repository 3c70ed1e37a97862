// A PDB as a SymbolFile: opening reads the MSF directory, the PDB info stream (identity), the
// DBI header and the section headers — a few KB whatever the file's size. A lookup then reads
// only what it needs:
//   RVA → section:offset (section headers)
//       → module (section contributions, binary searched)
//       → procedure (the module's symbol stream, procedure records only, indexed once per module)
//       → inline sites covering the address (that procedure's records)
//       → lines (the module's C13 line subsection covering the address; inlinee lines and
//         binary annotations for inline levels; file names from "/names")
//       → else the nearest public symbol (publics address map, binary searched).
//
// `lookup(rva)` names exactly the byte at `rva`. For a return address pass `rva - 1`, as
// debuggers and symbolizers do, so a call at the end of a function or before an inlined range
// is named by the call instruction, not by what follows it.
//
// Lookups run one at a time (a lookup's byte budget and the caches are then its own), each
// bounded by SymbolReadLimits.maxBytesPerLookup; parsed tables and pages are held in caches
// bounded by maxHeldBytes. A damaged record met by a lookup makes that lookup null with a
// warning, never a guess.
import type { ByteSource } from '../io/byte-source.ts';
import {
  DEFAULT_SYMBOL_READ_LIMITS,
  type CfiRules,
  type SourceLine,
  type SymbolFile,
  type SymbolIdentity,
  type SymbolLevel,
  type SymbolLookup,
  type SymbolReadLimits,
  type SymbolWarning,
  type X86FrameInfo,
} from '../symbols/symbol-file.ts';
import { c13HeldBytes, fileNameOffset, findInlinee, findLineRange, lineAt, readC13Directory, type C13Directory, type LineHit } from './c13-lines.ts';
import { DebugStream, ModuleList, SectionContributions, readDbiHeader, type DbiHeader } from './dbi.ts';
import { FrameData } from './frame-data.ts';
import { HeldCache } from './held-cache.ts';
import { InlineeNames } from './ipi.ts';
import { findProcedure, ModuleSymbols, proceduresHeldBytes, type ProcEntry } from './module-symbols.ts';
import { MsfFile, type MsfStream } from './msf.ts';
import { PdbError, withFileName } from './pdb-error.ts';
import { guidHex, readPdbInfo } from './pdb-info.ts';
import { Publics } from './publics.ts';
import { readSectionHeaders, type SectionTable } from './section-headers.ts';
import { StreamWindow } from './stream-window.ts';
import { StringTable } from './string-table.ts';
import { IPI_STREAM, TPI_STREAM, TypeStream } from './type-stream.ts';

const IMAGE_FILE_MACHINE_I386 = 0x14c;
/** Warnings one reader keeps; repeats of a message are dropped. */
export const MAX_WARNINGS = 100;

/** Opens a PDB; rejects with a PdbError (kind + one line naming the file) when it cannot be used. */
export async function openPdb(source: ByteSource, limits: SymbolReadLimits = DEFAULT_SYMBOL_READ_LIMITS): Promise<SymbolFile> {
  const name = source.name;
  try {
    const msf = await MsfFile.open(source, limits.maxHeldBytes * 0.5);
    const info = await readPdbInfo(msf);
    const { header, stream } = await readDbiHeader(msf);
    const sectionStream = header.debugStreams[DebugStream.sectionHeaders] ?? null;
    if (sectionStream === null) throw new PdbError('corrupt', 'no section headers stream, so no address can be placed');
    const sections = await readSectionHeaders(msf, sectionStream);
    const age = header.age !== 0 ? header.age : info.age;
    const identity: SymbolIdentity = {
      debugFile: baseName(name),
      debugId: `${guidHex(info.guid)}${age.toString(16).toUpperCase()}`,
    };
    const file = new PdbSymbolFile(name, identity, msf, header, stream, sections, info.namedStreams.get('/names') ?? null, limits);
    if (msf.shorterThanHeader) file.warn('symbols-partial', `the file is ${source.size} bytes, shorter than the ${msf.numBlocks * msf.blockSize} its header says (cut short?)`);
    return file;
  } catch (err) {
    throw withFileName(err, name);
  }
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

class PdbSymbolFile implements SymbolFile {
  readonly format = 'pdb' as const;
  readonly name: string;
  readonly identity: SymbolIdentity;
  readonly warnings: SymbolWarning[] = [];
  readonly #seen = new Set<string>();
  readonly #msf: MsfFile;
  readonly #dbi: DbiHeader;
  readonly #dbiStream: MsfStream;
  readonly #sections: SectionTable;
  readonly #namesStream: number | null;
  readonly #limits: SymbolReadLimits;
  readonly #modules: ModuleList;
  readonly #procedures: HeldCache<number, ProcEntry[]>;
  readonly #c13: HeldCache<number, C13Directory>;
  /** Images rewritten after linking (OMAP: BBT, some system DLLs) have addresses the symbols do not use. */
  readonly #omap: boolean;
  #tail: Promise<unknown> = Promise.resolve();
  #contributions: Promise<SectionContributions | null> | null = null;
  #publics: Promise<Publics | null> | null = null;
  #strings: Promise<StringTable | null> | null = null;
  #names: Promise<InlineeNames> | null = null;
  #frameData: FrameData | null = null;

  constructor(
    name: string,
    identity: SymbolIdentity,
    msf: MsfFile,
    dbi: DbiHeader,
    dbiStream: MsfStream,
    sections: SectionTable,
    namesStream: number | null,
    limits: SymbolReadLimits,
  ) {
    this.name = name;
    this.identity = identity;
    this.#msf = msf;
    this.#dbi = dbi;
    this.#dbiStream = dbiStream;
    this.#sections = sections;
    this.#namesStream = namesStream;
    this.#limits = limits;
    this.#modules = new ModuleList(dbiStream, dbi);
    this.#procedures = new HeldCache(limits.maxHeldBytes * 0.25);
    this.#c13 = new HeldCache(limits.maxHeldBytes * 0.15);
    this.#omap = dbi.debugStreams[DebugStream.omapToSource] != null || dbi.debugStreams[DebugStream.omapFromSource] != null;
    if (this.#omap) {
      this.warn('symbols-partial', 'the image was rearranged after linking (OMAP address maps), which is not read: no address is named');
    }
  }

  warn(kind: SymbolWarning['kind'], message: string): void {
    if (this.#seen.has(message) || this.warnings.length >= MAX_WARNINGS) return;
    this.#seen.add(message);
    this.warnings.push({ kind, message: `${this.name}: ${message}` });
  }

  lookup(rva: number): Promise<SymbolLookup | null> {
    return this.#guarded(rva, () => this.#lookup(rva));
  }

  x86FrameInfo(rva: number): Promise<X86FrameInfo | null> {
    return this.#guarded(rva, async () => {
      if (this.#dbi.machine !== IMAGE_FILE_MACHINE_I386 || this.#omap) return null;
      this.#frameData ??= FrameData.open(
        this.#msf,
        this.#dbi.debugStreams[DebugStream.frameData] ?? null,
        this.#dbi.debugStreams[DebugStream.fpo] ?? null,
        () => this.#stringTable(),
      );
      return this.#frameData.find(rva);
    });
  }

  cfiRules(): Promise<CfiRules | null> {
    // A PDB has no call frame information: x64 unwinds from the image's .pdata/.xdata.
    return Promise.resolve(null);
  }

  /** Runs `fn` after the lookups before it, with its own read budget; damage → null + warning. */
  #guarded<T>(rva: number, fn: () => Promise<T | null>): Promise<T | null> {
    const run = async (): Promise<T | null> => {
      if (!Number.isInteger(rva) || rva < 0 || rva > 0xffffffff) return null;
      this.#msf.meter = { used: 0, limit: this.#limits.maxBytesPerLookup };
      try {
        return await fn();
      } catch (err) {
        const e = withFileName(err, this.name);
        const message = e.message.slice(this.name.length + 2);
        this.warn(e.kind === 'io' || e.kind === 'truncated' ? 'symbols-unreadable' : 'symbols-partial', `${message} (looking up RVA 0x${rva.toString(16)})`);
        return null;
      } finally {
        this.#msf.meter = null;
      }
    };
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  async #lookup(rva: number): Promise<SymbolLookup | null> {
    if (this.#omap) return null;
    const place = this.#sections.toSectionOffset(rva);
    if (place === null) return null;
    this.#contributions ??= this.#forgetOnFailure(SectionContributions.open(this.#dbiStream, this.#dbi), () => (this.#contributions = null));
    const contributions = await this.#contributions;
    const contribution = contributions === null ? null : await contributions.find(place.section, place.offset);
    if (contribution !== null) {
      const module = await this.#modules.get(contribution.module);
      const symbols = module === null ? null : await ModuleSymbols.open(this.#msf, module);
      if (symbols !== null) {
        const procs = await this.#moduleProcedures(symbols);
        const proc = findProcedure(procs, rva);
        if (proc !== null) return { levels: await this.#levels(symbols, proc, rva, place), from: 'private' };
      }
    }
    // No procedure covers the address (a module without debug info, a stripped PDB): the
    // nearest public before it in the same section, as symbolizers fall back to.
    this.#publics ??= this.#forgetOnFailure(Publics.open(this.#msf, this.#dbi.publicsStream, this.#dbi.symbolRecordsStream), () => (this.#publics = null));
    const publics = await this.#publics;
    const pub = publics === null ? null : await publics.nearest(place.section, place.offset);
    if (pub === null) return null;
    const startRva = this.#sections.toRva(pub.section, pub.offset) ?? rva;
    return { levels: [{ name: pub.name, startRva, inlined: false, source: null }], from: 'public' };
  }

  async #moduleProcedures(symbols: ModuleSymbols): Promise<ProcEntry[]> {
    const cached = this.#procedures.get(symbols.info.index);
    if (cached !== undefined) return cached;
    const procs = await symbols.procedures(this.#sections);
    this.#procedures.set(symbols.info.index, procs, proceduresHeldBytes(procs));
    return procs;
  }

  async #moduleLines(symbols: ModuleSymbols): Promise<C13Directory> {
    const cached = this.#c13.get(symbols.info.index);
    if (cached !== undefined) return cached;
    const window = new StreamWindow(symbols.stream, 64 * 1024);
    const dir = await readC13Directory(window, symbols.c13Start, symbols.info.c13Bytes, symbols.what);
    this.#c13.set(symbols.info.index, dir, c13HeldBytes(dir));
    return dir;
  }

  async #levels(symbols: ModuleSymbols, proc: ProcEntry, rva: number, place: { section: number; offset: number }): Promise<SymbolLevel[]> {
    const chain = await symbols.inlineChain(proc, rva);
    const lines = await this.#moduleLines(symbols);
    const window = new StreamWindow(symbols.stream, 4096);
    const source = async (hit: LineHit | null): Promise<SourceLine | null> => {
      if (hit === null) return null;
      if (lines.checksums === null) throw new PdbError('corrupt', `${symbols.what}: lines name file ${hit.fileId} but the module has no file checksums`);
      const checksums = await window.view(lines.checksums.at, lines.checksums.length, `${symbols.what} file checksums`);
      const strings = await this.#stringTable();
      if (strings === null) throw new PdbError('corrupt', 'line tables name files, but the PDB has no string table ("/names")');
      return { file: await strings.get(fileNameOffset(checksums, hit.fileId)), line: hit.line };
    };

    const levels: SymbolLevel[] = [];
    if (chain.length > 0) {
      const names = await this.#inlineeNames();
      for (const site of chain) {
        let start: LineHit | null = null;
        for (const sub of lines.inlinees) {
          start = findInlinee(await window.view(sub.at, sub.length, `${symbols.what} inlinee lines`), site.inlinee);
          if (start !== null) break;
        }
        const hit = start === null ? null : { fileId: site.range.fileId ?? start.fileId, line: start.line + site.range.lineOffset };
        levels.push({ name: await names.name(site.inlinee), startRva: proc.procRva + site.firstStart, inlined: true, source: await source(hit) });
      }
      levels.reverse();
    }
    const range = findLineRange(lines, place.section, place.offset);
    let hit: LineHit | null = null;
    if (range !== null) hit = lineAt(await window.view(range.at, range.length, `${symbols.what} line table at ${range.at}`), range, place.offset);
    levels.push({ name: proc.name, startRva: proc.rva, inlined: false, source: await source(hit) });
    return levels;
  }

  /**
   * A table opened on first use is kept; one whose opening failed is not, so a read that failed
   * once (a byte source that came back, a lookup that ran out of its budget) is tried again.
   */
  #forgetOnFailure<T>(opening: Promise<T>, forget: () => void): Promise<T> {
    return opening.catch((err: unknown) => {
      forget();
      throw err;
    });
  }

  #stringTable(): Promise<StringTable | null> {
    const index = this.#namesStream;
    this.#strings ??= index === null ? Promise.resolve(null) : this.#forgetOnFailure(StringTable.open(this.#msf, index, this.#limits.maxHeldBytes * 0.05), () => (this.#strings = null));
    return this.#strings;
  }

  #inlineeNames(): Promise<InlineeNames> {
    this.#names ??= this.#forgetOnFailure(
      (async () => {
        const ipi = await TypeStream.open(this.#msf, IPI_STREAM, 'IPI stream');
        const tpi = await TypeStream.open(this.#msf, TPI_STREAM, 'TPI stream');
        return new InlineeNames(ipi, tpi, this.#limits.maxHeldBytes * 0.05);
      })(),
      () => (this.#names = null),
    );
    return this.#names;
  }
}
