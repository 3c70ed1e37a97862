// A PE image as the engine uses it: headers up front, everything else (exports, .pdata,
// unwind info, CodeView) read on first use and kept, because a stack walk touches the same
// few modules again and again. Works the same over a mapped image in dump memory and over a
// module file; see image-reader.ts for the difference.
import { DumpError, describeError } from '../core/errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { AddressSpace } from '../memory/address-space.ts';
import type { Warning } from '../core/dump-model.ts';
import { readCodeView, type CodeViewRecord } from './codeview.ts';
import { readExports, type ExportTable } from './exports.ts';
import { fileImageReader, mappedImageReader, type ImageReader, type ImageSection } from './image-reader.ts';
import { FunctionTable, type FunctionLookup, type RuntimeFunction } from './pdata.ts';
import { isExecutableSection, machineName, parsePeHeaders, sectionAt, type PeHeaders } from './pe-headers.ts';
import { readUnwindInfo, type UnwindInfoResult } from './unwind-info.ts';
import type { WarningKind } from '../core/warnings.ts';

/** An address named after the export at or before it. */
export interface ExportName {
  name: string;
  offset: number;
}

/** Addresses whose unwind info, function entry or export name an image keeps (a walk of 256 frames touches a few hundred). */
const MAX_KEPT_PER_ADDRESS = 4096;

/** `map`'s answer for `rva`, made by `make` the first time and kept while the map has room. */
function kept<T>(map: Map<number, T>, rva: number, make: () => T): T {
  let value = map.get(rva);
  if (value === undefined) {
    value = make();
    if (map.size < MAX_KEPT_PER_ADDRESS) map.set(rva, value);
  }
  return value;
}

export interface PeImageOptions {
  /** Polled while a large table is read; true stops it (the time budget, see core/budget.ts). */
  shouldStop?: () => boolean;
  /** Where the image's warnings go (shared by a module index); its own list by default. */
  warnings?: Warning[];
}

export class PeImage {
  readonly name: string;
  readonly headers: PeHeaders;
  readonly reader: ImageReader;
  /** Non-fatal trouble met while reading this image (missing pages, capped tables…). */
  readonly warnings: Warning[];
  #exports: Promise<ExportTable | null> | null = null;
  #pdata: Promise<FunctionTable | null> | null = null;
  #codeView: Promise<CodeViewRecord | null> | null = null;
  readonly #unwind = new Map<number, Promise<UnwindInfoResult>>();
  readonly #exportNames = new Map<number, Promise<ExportName | null>>();
  readonly #functions = new Map<number, Promise<FunctionLookup>>();
  readonly #options: PeImageOptions;
  #exportTable: ExportTable | null = null;
  #unreadableNames = false;
  #functionTable: FunctionTable | null = null;

  constructor(reader: ImageReader, headers: PeHeaders, options: PeImageOptions = {}) {
    this.reader = reader;
    this.headers = headers;
    this.name = reader.name;
    this.#options = options;
    this.warnings = options.warnings ?? [];
  }

  /**
   * Bytes the parsed tables of this image hold (headers, exports, a .pdata table read whole,
   * decoded unwind info), for the caches that bound them in total (unwind/image-cache.ts).
   */
  get heldBytes(): number {
    return 4096 + (this.#exportTable?.heldBytes() ?? 0) + (this.#functionTable?.heldBytes ?? 0) + (this.#unwind.size + this.#exportNames.size + this.#functions.size) * 256;
  }

  get machine(): string {
    return machineName(this.headers.machine);
  }

  get is64(): boolean {
    return this.headers.format === 'pe32+';
  }

  get sections(): readonly ImageSection[] {
    return this.headers.sections;
  }

  /** Bytes at an RVA, or null when any is missing. */
  read(rva: number, length: number): Promise<Uint8Array | null> {
    return this.reader.read(rva, length);
  }

  /** True when `rva` lies in a section marked executable or as code. */
  isExecutable(rva: number): boolean {
    const s = sectionAt(this.headers.sections, rva);
    return s !== null && isExecutableSection(s);
  }

  exports(): Promise<ExportTable | null> {
    this.#exports ??= readExports(this.reader, this.headers, this.warnings, this.#options).then(
      (table) => (this.#exportTable = table),
      (err: unknown) => this.#fail('pe-exports', err),
    );
    return this.#exports;
  }

  /**
   * The export WinDbg would name `rva` by without a PDB: the nearest preceding one in the same
   * section (an export in .text says nothing about an address in .data). Ordinal-only exports
   * are named "Ordinal<n>". Null when no export precedes it.
   */
  exportFor(rva: number): Promise<ExportName | null> {
    // Threads share return addresses (a pool's threads wait in the same calls): each is named once.
    return kept(this.#exportNames, rva, () => this.#nearestExport(rva));
  }

  async #nearestExport(rva: number): Promise<ExportName | null> {
    if (rva < 0 || rva >= this.headers.sizeOfImage) return null;
    const table = await this.exports();
    if (!table) return null;
    const at = table.nearest(rva);
    if (at < 0) return null;
    const entryRva = table.rvas[at]!;
    if (sectionAt(this.headers.sections, rva) !== sectionAt(this.headers.sections, entryRva)) return null;
    const nameRva = table.nameRvas[at]!;
    const name = nameRva === 0 ? null : await table.string(nameRva);
    if (nameRva !== 0 && name === null && !this.#unreadableNames) {
      this.#unreadableNames = true;
      this.#fail('pe-exports', new Error('export names unreadable; named by ordinal'));
    }
    return { name: name ?? `Ordinal${table.ordinalBase + table.indexes[at]!}`, offset: rva - entryRva };
  }

  functionTable(): Promise<FunctionTable | null> {
    this.#pdata ??= FunctionTable.open(this.reader, this.headers, this.warnings).then(
      (table) => (this.#functionTable = table),
      (err: unknown) => this.#fail('pe-pdata', err),
    );
    return this.#pdata;
  }

  /** The RUNTIME_FUNCTION holding `rva` (x64 images), or null (leaf function, no table, unreadable). */
  async functionEntry(rva: number): Promise<RuntimeFunction | null> {
    const found = await this.findFunction(rva);
    return found.kind === 'found' ? found.fn : null;
  }

  /** Like functionEntry, but tells a leaf function from an unreadable or absent table. */
  findFunction(rva: number): Promise<FunctionLookup> {
    // Kept per address like export names: threads return into the same functions.
    return kept(this.#functions, rva, () => this.functionTable().then((table) => (table ? table.lookup(rva) : { kind: 'unknown' as const })));
  }

  /** Decoded UNWIND_INFO of a function entry (cached by its RVA). */
  unwindInfo(fn: RuntimeFunction): Promise<UnwindInfoResult> {
    return kept(this.#unwind, fn.unwindInfo, () => readUnwindInfo(this.reader, fn.unwindInfo, fn));
  }

  codeView(): Promise<CodeViewRecord | null> {
    this.#codeView ??= readCodeView(this.reader, this.headers, this.warnings).catch((err: unknown) => this.#fail('pe-debug', err));
    return this.#codeView;
  }

  #fail(kind: WarningKind, err: unknown): null {
    this.warnings.push({ kind, message: `${this.name}: ${describeError(err).message}` });
    return null;
  }
}

/** Parses the headers through `reader`. Throws DumpError when there is no usable PE image. */
export async function loadPeImage(reader: ImageReader, options: PeImageOptions = {}): Promise<PeImage> {
  const headers = await parsePeHeaders(reader);
  return new PeImage(reader.withSections(headers.sections, headers.sizeOfHeaders), headers, options);
}

/** The image mapped at `base` in dump memory. */
export function loadMappedPeImage(memory: AddressSpace, base: bigint, name: string): Promise<PeImage> {
  return loadPeImage(mappedImageReader(memory, base, name));
}

/** A module file (.exe/.dll) the user supplied. */
export function loadPeFile(source: ByteSource, options: PeImageOptions = {}): Promise<PeImage> {
  return loadPeImage(fileImageReader(source), options);
}

/** Like loadPeImage, but a failure becomes a warning and null. */
export async function tryLoadPeImage(reader: ImageReader, warnings: Warning[], options: PeImageOptions = {}): Promise<PeImage | null> {
  try {
    return await loadPeImage(reader, options);
  } catch (err) {
    const { message } = describeError(err);
    warnings.push({ kind: 'pe-image', message: err instanceof DumpError ? message : `${reader.name}: ${message}` });
    return null;
  }
}
