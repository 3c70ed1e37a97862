// Which symbol file belongs to which module — never silently wrong. A module says who it is by
// its CodeView record (PDB70 GUID + age, or Breakpad's id for an ELF build id): the dump's
// module list carries it, and where the writer left it out (Wine's dbghelp) the image's own
// debug directory does, from a module file the user gave or from dump memory. A symbol file
// says who it is too (the PDB info stream, the MODULE line). Only a file whose id equals the
// module's is used. A file that is plainly meant for the module (same name) but of another
// build is reported with both ids and left out, unless the user forces it; so is a file for a
// module that records no id at all, since nothing could check it.
//
// Candidates come from two places: files given outright (dropped on the page, named on the
// command line), each opened once to read its identity, and a SymbolLocator that knows where
// files lie (the CLI's folders and symbol stores), asked only for the modules a stack reaches.
//
// Bounds: at most MAX_OPEN_SYMBOL_BYTES of reader caches at once (each reader keeps
// SYMBOL_FILE_LIMITS.maxHeldBytes); past that the least recently used reader is dropped and
// opened again when needed (opening reads only a file's headers). Decisions are kept per module
// (a few hundred bytes each), so a module aliased by many others costs one decision each and
// one reader for all.
import type { Warning } from '../core/warnings.ts';
import type { Module } from '../core/dump-model.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { PeImage } from '../pe/pe-image.ts';
import type { SourceLine, SymbolFile, SymbolIdentity, SymbolReadLimits } from '../symbols/symbol-file.ts';
import type { CodeViewRecord } from '../minidump/codeview.ts';
import type { SymbolLocator } from '../symbols/symbol-locator.ts';
import { baseName, type SymbolRequest } from '../symbols/store-layout.ts';
import { openSymbolFile } from './open-symbol-file.ts';

/** What each reader may hold and read per lookup. */
export const SYMBOL_FILE_LIMITS: SymbolReadLimits = { maxHeldBytes: 16 * 1024 * 1024, maxBytesPerLookup: 16 * 1024 * 1024 };
/** Reader caches held at once, all symbol files together (8 readers at their bound). */
export const MAX_OPEN_SYMBOL_BYTES = 128 * 1024 * 1024;
/** Candidate files opened for one module before giving up. */
export const MAX_CANDIDATES_PER_MODULE = 16;
/** Warnings kept from all symbol files together. */
export const MAX_SYMBOL_WARNINGS = 200;

/** As the read options name them (model/from-minidump.ts, MinidumpReadOptions). */
export interface SymbolResolverOptions {
  /** Files given outright; each is opened (headers only) when a module first asks. */
  symbols?: readonly ByteSource[];
  symbolLocator?: SymbolLocator;
  /** Use a file of another build (or one nothing can check) when it is the only one named for the module. */
  forceSymbols?: boolean;
}

/** What a module says it is, for matching. */
export interface ModuleForSymbols {
  /** The module's file name or path from the module list. */
  readonly name: string;
  /** The CodeView record the module list holds for it, if any. */
  readonly codeView: CodeViewRecord | null;
  /** The module's image (a file given, or dump memory), whose debug directory may name its PDB. */
  image(): Promise<PeImage | null>;
}

/** One name of the code at an address, as a symbol file gives it (symbolize.ts adds the module). */
export interface SymbolName {
  symbol: string;
  /** From the function's start for the real function; null for an inlined level (WinDbg prints none). */
  offset: bigint | null;
  source: SourceLine | null;
  inline: boolean;
}

export interface ResolvedSymbols {
  file: SymbolFile;
  /** True when the file's identity does not match (or could not be checked) and the user forced it. */
  forced: boolean;
}

/** The decision for one module: which source, and whether forced. */
interface Decision {
  source: ByteSource;
  format: SymbolFile['format'];
  id: string;
  forced: boolean;
}

export interface SymbolUse {
  file: string;
  format: SymbolFile['format'];
  id: string;
  forced?: true;
}

function sameId(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toUpperCase() === b.toUpperCase();
}

function stemOf(name: string): string {
  const base = baseName(name).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export class SymbolResolver {
  readonly #given: readonly ByteSource[];
  readonly #locator: SymbolLocator | null;
  readonly #force: boolean;
  readonly #shouldStop: () => boolean;
  readonly #warnings: Warning[] = [];
  readonly #seenWarnings = new Set<string>();
  /** Opened readers by source, least recently used first; each counted at its held-bytes bound. */
  readonly #open = new Map<ByteSource, SymbolFile>();
  /** Identities of sources opened once (kept after the reader is dropped), null when unreadable. */
  readonly #identities = new Map<ByteSource, Promise<SymbolIdentity | null>>();
  readonly #decisions = new Map<ModuleForSymbols, Promise<Decision | null>>();
  readonly #used = new Set<ByteSource>();
  readonly #mismatched = new Set<ByteSource>();

  /** `shouldStop` is polled before opening files; true stops resolving (the time budget). */
  constructor(options: SymbolResolverOptions = {}, shouldStop: () => boolean = () => false) {
    this.#given = options.symbols ?? [];
    this.#locator = options.symbolLocator ?? null;
    this.#force = options.forceSymbols ?? false;
    this.#shouldStop = shouldStop;
  }

  /** True when there is anywhere to look: without files or a locator nothing is ever opened. */
  get active(): boolean {
    return this.#given.length > 0 || this.#locator !== null;
  }

  /** Trouble met so far: unreadable files, mismatches, and what the readers reported. */
  get warnings(): Warning[] {
    const out = [...this.#warnings];
    for (const file of this.#open.values()) for (const w of file.warnings) this.#collect(w, out);
    return out;
  }

  /** The symbol file to name and unwind `module` with, or null. */
  async symbolsFor(module: ModuleForSymbols): Promise<ResolvedSymbols | null> {
    if (!this.active) return null;
    let decision = this.#decisions.get(module);
    if (decision === undefined) {
      decision = this.#decide(module);
      this.#decisions.set(module, decision);
    }
    const d = await decision;
    if (d === null) return null;
    const file = await this.#reader(d.source);
    return file === null ? null : { file, forced: d.forced };
  }

  /**
   * Every name the module's symbol file gives the code at `rva`, innermost first (one per
   * inlined call, then the function), or null when it has no file or the file names nothing
   * there. A return address is looked up at the byte before it (the call); the offset stays
   * the return address's own, as WinDbg prints it.
   */
  async names(module: ModuleForSymbols, rva: bigint, returnAddress: boolean): Promise<SymbolName[] | null> {
    const symbols = await this.symbolsFor(module);
    const found = symbols ? await symbols.file.lookup(Number(returnAddress && rva > 0n ? rva - 1n : rva)) : null;
    if (!found) return null;
    const last = found.levels.length - 1;
    return found.levels.map((level, i) => ({
      symbol: level.name,
      offset: i === last ? rva - BigInt(level.startRva) : null,
      // A public symbol has no line; a procedure's line may be unknown too.
      source: found.from === 'private' ? level.source : null,
      inline: i !== last,
    }));
  }

  /** What the model's module record says of the file used for `module`, once it was decided. */
  async useOf(module: ModuleForSymbols): Promise<SymbolUse | null> {
    const d = await this.#decisions.get(module);
    if (!d) return null;
    return { file: d.source.name, format: d.format, id: d.id, ...(d.forced ? { forced: true as const } : {}) };
  }

  /**
   * Ends the run: each module record (matched to its module by path and base) says which file
   * named it, and a file given outright that no module used or refused is reported, so a reader
   * who dropped the wrong build hears of it even when no stack reached the module.
   */
  async finish(records: Module[] = [], modules: readonly (ModuleForSymbols & { base: bigint })[] = []): Promise<void> {
    for (const m of modules) {
      const use = await this.useOf(m);
      const record = use ? records.find((r) => r.path === (m.name || null) && BigInt(r.base) === m.base) : undefined;
      if (use && record) record.symbols = use;
    }
    for (const source of this.#given) {
      if (this.#used.has(source) || this.#mismatched.has(source)) continue;
      if (this.#shouldStop()) return;
      const identity = await this.#identity(source);
      if (identity === null) continue; // already reported as unreadable
      this.#warn({
        kind: 'symbols-mismatch',
        message: `${source.name} (${identity.debugFile}, id ${identity.debugId}) matches no module of this dump that a stack reached; not used`,
      });
    }
  }

  async #decide(module: ModuleForSymbols): Promise<Decision | null> {
    if (this.#shouldStop()) return null;
    const codeFile = baseName(module.name);
    const cv = module.codeView;
    let wanted: SymbolIdentity | null =
      cv?.kind === 'pdb70' || cv?.kind === 'pdb20' ? { debugFile: baseName(cv.pdbName), debugId: cv.debugId } : cv?.kind === 'elf' ? { debugFile: codeFile, debugId: cv.debugId } : null;
    let from = 'the module list';
    if (wanted === null) {
      const image = await module.image();
      const own = image ? await image.codeView() : null;
      if (own) {
        wanted = { debugFile: baseName(own.pdbName), debugId: own.debugId };
        from = 'its image';
      }
    }
    const request: SymbolRequest = { debugFile: wanted ? baseName(wanted.debugFile) : null, debugId: wanted?.debugId ?? null, codeFile };
    const names = new Set([stemOf(codeFile), ...(request.debugFile ? [stemOf(request.debugFile)] : [])]);

    // Given files first (cheap once opened), then the locator's.
    const candidates: ByteSource[] = [];
    for (const source of this.#given) {
      const identity = await this.#identity(source);
      if (identity === null) continue;
      if (sameId(identity.debugId, request.debugId) || names.has(stemOf(identity.debugFile)) || names.has(stemOf(source.name))) candidates.push(source);
    }
    if (this.#locator) {
      try {
        for (const source of await this.#locator.find(request)) if (!candidates.includes(source)) candidates.push(source);
      } catch (err) {
        this.#warn({ kind: 'symbols-unreadable', message: `symbols for ${codeFile} could not be looked up: ${err instanceof Error ? err.message : String(err)}` });
      }
    }

    let fallback: { source: ByteSource; identity: SymbolIdentity } | null = null;
    for (const source of candidates.slice(0, MAX_CANDIDATES_PER_MODULE)) {
      if (this.#shouldStop()) return null;
      const identity = await this.#identity(source);
      if (identity === null) continue;
      if (request.debugId !== null && sameId(identity.debugId, request.debugId)) {
        this.#used.add(source);
        return { source, format: (await this.#reader(source))?.format ?? 'pdb', id: identity.debugId, forced: false };
      }
      fallback ??= { source, identity };
    }
    if (fallback === null) return null;

    const { source, identity } = fallback;
    this.#mismatched.add(source);
    const theirs = `${source.name} (${identity.debugFile}, id ${identity.debugId})`;
    const problem = request.debugId === null
      ? `cannot be checked: ${codeFile} records no identity (no CodeView record in the dump, and no image of it to read one from)`
      : `does not match: ${codeFile} wants ${request.debugFile ?? '?'} id ${request.debugId} (from ${from})`;
    if (!this.#force) {
      const hint = request.debugId === null ? 'add the module image file so its identity can be read, or force symbols to use it anyway' : 'find the matching build, or force symbols to use it anyway';
      this.#warn({ kind: 'symbols-mismatch', message: `${theirs} ${problem}; not used (${hint})` });
      return null;
    }
    this.#warn({ kind: 'symbols-mismatch', message: `${theirs} ${problem}; used anyway because symbols were forced — names may be wrong` });
    this.#used.add(source);
    return { source, format: (await this.#reader(source))?.format ?? 'pdb', id: identity.debugId, forced: true };
  }

  #identity(source: ByteSource): Promise<SymbolIdentity | null> {
    let found = this.#identities.get(source);
    if (found === undefined) {
      found = this.#reader(source).then((file) => file?.identity ?? null);
      this.#identities.set(source, found);
    }
    return found;
  }

  /** The reader for `source`, opened (again) when it is not held; null when the file cannot be used. */
  async #reader(source: ByteSource): Promise<SymbolFile | null> {
    const held = this.#open.get(source);
    if (held) {
      this.#open.delete(source);
      this.#open.set(source, held);
      return held;
    }
    const opened = await openSymbolFile(source, SYMBOL_FILE_LIMITS);
    if (!opened.ok) {
      this.#warn(opened.warning);
      return null;
    }
    this.#open.set(source, opened.file);
    const maxOpen = Math.max(1, Math.floor(MAX_OPEN_SYMBOL_BYTES / SYMBOL_FILE_LIMITS.maxHeldBytes));
    while (this.#open.size > maxOpen) {
      const [oldest, file] = this.#open.entries().next().value!;
      for (const w of file.warnings) this.#collect(w, this.#warnings);
      this.#open.delete(oldest);
    }
    return opened.file;
  }

  #warn(w: Warning): void {
    this.#collect(w, this.#warnings);
  }

  #collect(w: Warning, into: Warning[]): void {
    const key = `${w.kind}\u0000${w.message}`;
    if (into === this.#warnings) {
      if (this.#seenWarnings.has(key)) return;
      this.#seenWarnings.add(key);
    } else if (into.some((x) => x.kind === w.kind && x.message === w.message)) return;
    if (into.length < MAX_SYMBOL_WARNINGS) into.push(w);
  }
}
