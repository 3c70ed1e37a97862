// The loaded modules as the walkers and the namer see them: sorted by base for a binary
// search, each with its PE image and its symbol file found on first use. An image comes from a
// file the user supplied (matched by file name and checked against the module's size and
// timestamp) or, failing that, from dump memory when the dump captured the module's headers.
// Images are parsed once per distinct file range and bounded in total (image-cache.ts); symbol
// files are matched to modules by identity (symbol-match/symbol-resolver.ts).
import type { ByteSource } from '../io/byte-source.ts';
import { u32 } from '../io/little-endian.ts';
import type { AddressSpace } from '../memory/address-space.ts';
import type { Warning } from '../core/dump-model.ts';
import { fileNameOf } from '../names/module-names.ts';
import { fileImageReader, mappedImageReader } from '../pe/image-reader.ts';
import { tryLoadPeImage, type PeImage, type PeImageOptions } from '../pe/pe-image.ts';
import type { SymbolFile } from '../symbols/symbol-file.ts';
import type { CodeViewRecord } from '../minidump/codeview.ts';
import type { ModuleForSymbols, SymbolName, SymbolResolver } from '../symbol-match/symbol-resolver.ts';
import { imageCache, type ImageCache } from './image-cache.ts';
import type { ModuleLookup, UnwindModule } from './types.ts';

export interface ModuleDescriptor {
  /** File name or full path from the module list. */
  name: string;
  base: bigint;
  size: bigint;
  /** Link timestamp from the module list (TimeDateStamp), to check a supplied file against. */
  timestamp?: number | null;
  /** The CodeView record the module list holds (PDB name and GUID + age, or an ELF build id), if any. */
  codeView?: CodeViewRecord | null;
}

export interface ModuleIndexOptions {
  /** Polled while large tables are read; true stops reading (the time budget). */
  shouldStop?: () => boolean;
  /** Finds each module's symbol file; without one, names come from export tables only. */
  symbols?: SymbolResolver | undefined;
  /** Bytes all parsed images may hold (image-cache.ts); for tests. */
  maxImageBytes?: number;
}

export interface ModuleIndex extends ModuleLookup {
  readonly modules: readonly IndexedModule[];
  /** Images that could not be loaded or did not match, and trouble met inside images and symbol files. */
  readonly warnings: Warning[];
  readonly images: ImageCache;
  readonly symbols: SymbolResolver | null;
}

interface Shared {
  memory: AddressSpace;
  images: ImageCache;
  warnings: Warning[];
  shouldStop: (() => boolean) | undefined;
  symbols: SymbolResolver | null;
}

export type IndexedModule = UnwindModule &
  ModuleForSymbols & {
    /** What the module's symbol file names the code at `rva` (see SymbolResolver.names); absent without symbol files. */
    symbolNames?(rva: bigint, returnAddress: boolean): Promise<SymbolName[] | null>;
  };

function indexedModule(d: ModuleDescriptor, file: ByteSource | null, shared: Shared): IndexedModule {
  const { memory, images, symbols } = shared;
  const shortName = fileNameOf(d.name);
  // Images write their warnings straight into the index's list, so one that is dropped from the
  // cache keeps its warnings in the report.
  const options: PeImageOptions = { warnings: shared.warnings, ...(shared.shouldStop ? { shouldStop: shared.shouldStop } : {}) };
  let mismatchReported = false;
  // The image cache's key for the module's mapped image; null when the dump lacks its first page.
  let mappedKey: string | IndexedModule | null | undefined;
  /** The file the user gave for this module, when it fits; else the image in dump memory. */
  const fileImage = async (f: ByteSource): Promise<PeImage | null> => {
    // One parse per file, whichever modules of its name use it; each checks it fits.
    const image = await images.get(f, () => tryLoadPeImage(fileImageReader(f), shared.warnings, options));
    if (image) {
      const sizeOk = BigInt(image.headers.sizeOfImage) === d.size;
      const stampOk = !d.timestamp || image.headers.timestamp === d.timestamp;
      if (sizeOk && stampOk) return image;
      if (!mismatchReported) {
        mismatchReported = true;
        shared.warnings.push({ kind: 'image-mismatch', message: `${f.name} does not match the loaded ${shortName} (${sizeOk ? 'timestamp' : 'size'} differs); not used` });
      }
    }
    return mappedImage();
  };
  /**
   * The image in dump memory: the image cache's own promise, not one made per call, since a
   * walk asks at every frame. Minidumps without full memory usually lack module images; only
   * tried when the first page is there. Modules whose captured bytes are the same bytes of the
   * dump file share one parse. Both found once.
   */
  const mappedImage = (): Promise<PeImage | null> => {
    if (mappedKey === undefined) mappedKey = memory.rangeAt(d.base) ? mappedKeyOf(memory, d, module) : null;
    if (mappedKey === null) return NO_IMAGE;
    return images.get(mappedKey, async () =>
      // Linux and macOS dumps may capture an ELF or Mach-O header there: not a PE image, and
      // not worth a warning.
      isForeignImage(await memory.read(d.base, 4)) ? null : tryLoadPeImage(mappedImageReader(memory, d.base, shortName), shared.warnings, options),
    );
  };
  const module: IndexedModule = {
    name: d.name,
    base: d.base,
    size: d.size,
    codeView: d.codeView ?? null,
    image() {
      return file ? fileImage(file) : mappedImage();
    },
  };
  // Without symbol files there is nothing to ask at each frame: the walkers and the namer skip
  // a module that has no such methods.
  if (symbols) {
    /** The module's symbol file, when one matches it (or was forced). */
    module.symbols = async (): Promise<SymbolFile | null> => (await symbols.symbolsFor(module))?.file ?? null;
    module.symbolNames = (rva, returnAddress) => symbols.names(module, rva, returnAddress);
  }
  return module;
}

const NO_IMAGE: Promise<PeImage | null> = Promise.resolve(null);

function mappedKeyOf(memory: AddressSpace, d: ModuleDescriptor, module: IndexedModule): string | IndexedModule {
  const key = memory.backingKey?.(d.base, d.size) ?? null;
  return key === null ? module : `mapped:${key}`;
}

const FOREIGN_MAGICS = [0x464c457f /* \x7fELF */, 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe /* Mach-O */];

function isForeignImage(head: Uint8Array | null): boolean {
  if (!head || head.length < 4) return false;
  return FOREIGN_MAGICS.includes(u32(head, 0));
}

/**
 * Builds the module index. `files` are module files the user supplied; each is matched to the
 * loaded modules of the same file name (case-insensitive).
 */
export function createModuleIndex(descriptors: readonly ModuleDescriptor[], memory: AddressSpace, files: readonly ByteSource[] = [], options: ModuleIndexOptions = {}): ModuleIndex {
  const own: Warning[] = [];
  const byName = new Map<string, ByteSource>();
  for (const f of files) byName.set(fileNameOf(f.name).toLowerCase(), f);
  const images = imageCache(own, options.maxImageBytes);
  const shared: Shared = { memory, images, warnings: own, shouldStop: options.shouldStop, symbols: options.symbols ?? null };
  const modules = descriptors
    .filter((d) => d.size > 0n)
    .map((d) => indexedModule(d, byName.get(fileNameOf(d.name).toLowerCase()) ?? null, shared))
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  return {
    modules,
    images,
    symbols: shared.symbols,
    // Symbol-file warnings appear as files are read, so the list is gathered when asked for.
    get warnings(): Warning[] {
      return [...own, ...(shared.symbols?.warnings ?? [])];
    },
    moduleAt(address: bigint): UnwindModule | null {
      // Last module whose base is at or below the address; overlapping modules (a corrupt list)
      // resolve to the higher base.
      let lo = 0;
      let hi = modules.length - 1;
      let found: UnwindModule | null = null;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const m = modules[mid]!;
        if (m.base <= address) {
          found = m;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found && address < found.base + found.size ? found : null;
    },
  };
}
