// A Breakpad text symbol file (.sym) read lazily: the SymbolFile interface over a file that may
// be hundreds of megabytes, without holding it and without reading it whole for a lookup.
//
// Design. dump_syms writes a .sym in a fixed order — MODULE, INFO…, FILE… (by id),
// INLINE_ORIGIN… (by id), FUNC… (by address, each followed by its INLINE and line records) and
// PUBLIC… (by address; interleaved with the FUNCs by Breakpad's Windows dump_syms, a block of
// their own by the Linux and Mac ones), STACK… — so the reader never indexes what it can find by
// searching:
//   1. Opening reads the first line (MODULE: the identity) and the INFO lines after it.
//   2. The first lookup maps the groups' byte ranges by probing (section-map.ts): a binary
//      search on each group's rank, ~log2(size / 4 KiB) reads of 4 KiB in all.
//   3. Each lookup then binary-searches by key over byte offsets inside the group it needs
//      (sorted-search.ts): seek to the middle, resynchronise to the next line, read on to the
//      next record of the kind wanted, compare its key. Chunks near the top of the search are
//      cached (text-lines.ts), so later lookups read less.
//   4. Order is verified, not assumed: a group is sampled at ten places before it is trusted,
//      every key a search meets must fall inside the bracket it narrowed, and the final window
//      is read whole. Where real files break the order — kernel32.sym's PUBLICs, the FRAMEDATA
//      then FPO runs of test_app.sym's STACK WIN, the FDE order of Linux STACK CFI — the group
//      (or, when the groups themselves are out of order, the whole file) is read once into a
//      compact typed-array index of key → byte offset (record-index.ts, 25 bytes a record,
//      within maxHeldBytes; a 'symbols-partial' warning when that limit cuts it short).
// What a lookup reads from the source is bounded by maxBytesPerLookup; past it the lookup
// answers null with a 'symbols-partial' warning. A record that does not parse is skipped with a
// warning; nothing a file holds makes a lookup return a name that does not cover the address,
// except that a file unsorted in places no sample or search touched can make the binary search
// miss a closer PUBLIC (see docs/limits.md).
import { DumpError } from '../core/errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import {
  type CfiRules,
  DEFAULT_SYMBOL_READ_LIMITS,
  type SymbolFile,
  type SymbolIdentity,
  type SymbolLookup,
  type SymbolReadLimits,
  type SymbolWarning,
  type X86FrameInfo,
} from '../symbols/symbol-file.ts';
import { type CodeFinders, nearestCode } from './code-search.ts';
import { findCfiRules, findX86FrameInfo } from './frame-info.ts';
import { resolveAddress, type LookupContext } from './function-lookup.ts';
import { isX86Arch, type ModuleRecord, parseCodeIdRecord, parseModuleRecord } from './module-record.ts';
import { type FileRecord, type InlineOriginRecord, parseFileRecord, parseInlineOriginRecord } from './name-records.ts';
import { NameTable } from './name-table.ts';
import { readRecordHead, type RecordKind } from './record-head.ts';
import { HeldBytes, RegionFinder } from './region-finder.ts';
import { codeLayout, mapSections } from './section-map.ts';
import { SymWarnings } from './sym-warnings.ts';
import { BudgetExceeded, CHUNK_BYTES, lineText, MAX_LINE_BYTES, ReadBudget, SymText, type TextLine } from './text-lines.ts';

/** INFO lines read after MODULE (dump_syms writes two or three). */
const MAX_INFO_LINES = 16;
/** Chunks cached: 2 MiB, or an eighth of maxHeldBytes when that is smaller. */
const MAX_CACHED_CHUNKS = 1024;

export interface BreakpadModuleInfo extends ModuleRecord {
  /** INFO CODE_ID: the image's own id (Windows: timestamp + size of image; ELF: build id), upper-case. */
  codeId: string | null;
  /** The image file INFO CODE_ID names ("test_app.exe"), when it does. */
  codeFile: string | null;
}

export interface BreakpadSymbolFile extends SymbolFile {
  readonly format: 'breakpad-sym';
  /** Everything the MODULE and INFO CODE_ID lines say. */
  readonly module: BreakpadModuleInfo;
}

interface Finders {
  files: NameTable<FileRecord>;
  origins: NameTable<InlineOriginRecord>;
  code: CodeFinders;
  stack: RegionFinder;
}

const ALL_KEYED: readonly RecordKind[] = ['file', 'inline-origin', 'func', 'public', 'stack-win', 'stack-cfi-init'];

/**
 * Opens a .sym: reads its MODULE and INFO lines and nothing else. Rejects (a DumpError with a
 * one-line message naming the file) a file that does not start with a MODULE line ('not-a-dump'),
 * one whose MODULE line is malformed ('corrupt'), or a source that cannot be read ('io').
 */
export async function openBreakpadSym(source: ByteSource, limits: Partial<SymbolReadLimits> = {}): Promise<BreakpadSymbolFile> {
  const bounds: SymbolReadLimits = { ...DEFAULT_SYMBOL_READ_LIMITS, ...limits };
  const chunks = Math.max(4, Math.min(MAX_CACHED_CHUNKS, Math.floor(bounds.maxHeldBytes / 8 / CHUNK_BYTES)));
  const text = new SymText(source, chunks);
  const name = source.name;
  if (source.size === 0) throw new DumpError('not-a-dump', `${name} is not a Breakpad symbol file: it is empty`);

  const budget = new ReadBudget(Math.max(bounds.maxBytesPerLookup, MAX_LINE_BYTES * 2));
  let first: TextLine | null;
  try {
    first = await text.lineAt(0, text.size, budget);
  } catch (error) {
    throw readError(name, error);
  }
  if (first === null || first.start !== 0) throw new DumpError('not-a-dump', `${name} is not a Breakpad symbol file: it does not start with a MODULE line`);
  let firstText = lineText({ bytes: first.bytes, cut: false });
  if (firstText.charCodeAt(0) === 0xfeff) firstText = firstText.slice(1); // a byte-order mark some editors add
  const parsed = parseModuleRecord(firstText);
  if ('error' in parsed) {
    const kind = firstText.startsWith('MODULE ') ? 'corrupt' : 'not-a-dump';
    throw new DumpError(kind, `${name} is not a Breakpad symbol file: ${parsed.error}`);
  }

  let codeId: string | null = null;
  let codeFile: string | null = null;
  try {
    let line = await text.lineAt(first.next, text.size, budget);
    for (let i = 0; line !== null && i < MAX_INFO_LINES; i++) {
      if (readRecordHead(line.bytes, 0, line.bytes.length).kind !== 'info') break;
      const code = parseCodeIdRecord(lineText(line));
      if (code !== null && codeId === null) ({ codeId, codeFile } = code);
      line = await text.lineAt(line.next, text.size, budget);
    }
  } catch (error) {
    throw readError(name, error);
  }
  return new BreakpadSym(text, { ...parsed, codeId, codeFile }, bounds, chunks * CHUNK_BYTES);
}

function readError(name: string, error: unknown): DumpError {
  const message = error instanceof Error ? error.message : String(error);
  return new DumpError('io', `${name} could not be read: ${message.split('\n')[0]}`);
}

class BreakpadSym implements BreakpadSymbolFile {
  readonly format = 'breakpad-sym' as const;
  readonly name: string;
  readonly identity: SymbolIdentity;
  readonly module: BreakpadModuleInfo;
  readonly #text: SymText;
  readonly #limits: SymbolReadLimits;
  readonly #warnings = new SymWarnings();
  readonly #held: HeldBytes;
  #finders: Promise<Finders> | null = null;

  constructor(text: SymText, module: BreakpadModuleInfo, limits: SymbolReadLimits, cacheBytes: number) {
    this.#text = text;
    this.name = text.source.name;
    this.module = module;
    this.identity = { debugFile: module.debugFile, debugId: module.debugId };
    this.#limits = limits;
    this.#held = new HeldBytes(Math.max(0, limits.maxHeldBytes - cacheBytes));
  }

  get warnings(): readonly SymbolWarning[] {
    return this.#warnings.list;
  }

  lookup(rva: number): Promise<SymbolLookup | null> {
    return this.#guard('naming', rva, async (budget) => {
      const finders = await this.#getFinders();
      const nearest = await nearestCode(this.#text, finders.code, rva, budget);
      return resolveAddress(this.#lookupContext(finders), nearest, rva, budget);
    });
  }

  x86FrameInfo(rva: number): Promise<X86FrameInfo | null> {
    // STACK WIN describes 32-bit x86 code only; the interface asks 64-bit files to say nothing.
    if (!isX86Arch(this.module.arch)) return Promise.resolve(null);
    return this.#guard('frame data', rva, async (budget) => {
      const finders = await this.#getFinders();
      return findX86FrameInfo(this.#frameContext(), finders.stack, rva, budget);
    });
  }

  cfiRules(rva: number): Promise<CfiRules | null> {
    return this.#guard('CFI rules', rva, async (budget) => {
      const finders = await this.#getFinders();
      return findCfiRules(this.#frameContext(), finders.stack, rva, budget);
    });
  }

  /** Runs one lookup with its own read budget; whatever goes wrong becomes a warning and null. */
  async #guard<T>(what: string, rva: number, run: (budget: ReadBudget) => Promise<T | null>): Promise<T | null> {
    if (!Number.isSafeInteger(rva) || rva < 0) return null;
    const budget = new ReadBudget(this.#limits.maxBytesPerLookup);
    try {
      return await run(budget);
    } catch (error) {
      const at = `0x${rva.toString(16)}`;
      if (error instanceof BudgetExceeded) {
        this.#warnings.add('symbols-partial', `${this.name}: ${what} at ${at} gave up after reading ${this.#limits.maxBytesPerLookup} bytes`);
      } else {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        this.#warnings.add('symbols-unreadable', `${this.name}: ${what} at ${at} failed: ${message}`);
      }
      return null;
    } finally {
      if (this.#held.cut) this.#indexCut();
    }
  }

  #getFinders(): Promise<Finders> {
    if (this.#finders === null) {
      const pending = this.#buildFinders();
      pending.catch(() => {
        if (this.#finders === pending) this.#finders = null; // retry after a failed read
      });
      this.#finders = pending;
    }
    return this.#finders;
  }

  async #buildFinders(): Promise<Finders> {
    const text = this.#text;
    // Mapping is paid once, by the first lookup, within a budget of its own.
    const budget = new ReadBudget(this.#limits.maxBytesPerLookup);
    let map = null;
    try {
      map = await mapSections(text, budget);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
    }
    if (map === null || !map.ordered) {
      // Not in dump_syms order: one region, one pass, every kind indexed together.
      const all = new RegionFinder(text, { start: 0, end: text.size }, { kinds: ALL_KEYED, foreign: [], mixed: true, indexed: true }, this.#held);
      return { ...this.#nameTables(all, all), code: { kind: 'joint', finder: all }, stack: all };
    }
    const files = new RegionFinder(text, map.files, { kinds: ['file'], foreign: [], mixed: false, indexed: false }, this.#held);
    const origins = new RegionFinder(text, map.origins, { kinds: ['inline-origin'], foreign: [], mixed: false, indexed: false }, this.#held);
    const stack = new RegionFinder(text, map.stack, { kinds: ['stack-win', 'stack-cfi-init'], foreign: [], mixed: false, indexed: false }, this.#held);
    let code: CodeFinders;
    let layout = null;
    try {
      layout = await codeLayout(text, map.code, budget);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
    }
    if (layout === null) {
      code = { kind: 'joint', finder: new RegionFinder(text, map.code, { kinds: ['func', 'public'], foreign: [], mixed: true, indexed: true }, this.#held) };
    } else if (layout.kind === 'joint') {
      code = { kind: 'joint', finder: new RegionFinder(text, layout.region, { kinds: ['func', 'public'], foreign: [], mixed: true, indexed: false }, this.#held) };
    } else {
      code = {
        kind: 'split',
        funcs: new RegionFinder(text, layout.funcs, { kinds: ['func'], foreign: ['public'], mixed: false, indexed: false }, this.#held),
        publics: new RegionFinder(text, layout.publics, { kinds: ['public'], foreign: ['func'], mixed: false, indexed: false }, this.#held),
      };
    }
    return { ...this.#nameTables(files, origins), code, stack };
  }

  #nameTables(files: RegionFinder, origins: RegionFinder): Pick<Finders, 'files' | 'origins'> {
    return {
      files: new NameTable(files, 'file', parseFileRecord, (line) => this.#bad(line, 'a malformed FILE record')),
      origins: new NameTable(origins, 'inline-origin', parseInlineOriginRecord, (line) => this.#bad(line, 'a malformed INLINE_ORIGIN record')),
    };
  }

  #lookupContext(finders: Finders): LookupContext {
    return { text: this.#text, files: finders.files, origins: finders.origins, bad: (line, what) => this.#bad(line, what) };
  }

  #frameContext(): { text: SymText; bad: (line: TextLine | null, what: string) => void } {
    return { text: this.#text, bad: (line, what) => this.#bad(line, what) };
  }

  #bad(line: TextLine | null, what: string): void {
    const message = line === null ? `${this.name}: ${what}` : `${this.name}: skipped ${what} at byte ${line.start}`;
    this.#warnings.add('symbols-partial', message);
  }

  #indexCut(): void {
    this.#warnings.add(
      'symbols-partial',
      `${this.name}: its records are not sorted and too many to index within ${this.#limits.maxHeldBytes} bytes; some addresses are left without a name or frame data`,
    );
  }
}
