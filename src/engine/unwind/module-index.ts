// The loaded modules as the walkers and the namer see them: sorted by base for a binary
// search, each with its PE image loaded on first use. An image comes from a file the user
// supplied (matched by file name and checked against the module's size and timestamp) or,
// failing that, from dump memory when the dump captured the module's headers.
import type { ByteSource } from '../io/byte-source.ts';
import { u32 } from '../io/little-endian.ts';
import type { AddressSpace } from '../memory/address-space.ts';
import type { Warning } from '../core/dump-model.ts';
import { fileNameOf } from '../names/module-names.ts';
import { fileImageReader, mappedImageReader } from '../pe/image-reader.ts';
import { tryLoadPeImage, type PeImage } from '../pe/pe-image.ts';
import type { ModuleLookup, UnwindModule } from './types.ts';

export interface ModuleDescriptor {
  /** File name or full path from the module list. */
  name: string;
  base: bigint;
  size: bigint;
  /** Link timestamp from the module list (TimeDateStamp), to check a supplied file against. */
  timestamp?: number | null;
}

export interface ModuleIndex extends ModuleLookup {
  readonly modules: readonly UnwindModule[];
  /** Images that could not be loaded or did not match, and trouble met inside images. */
  readonly warnings: Warning[];
}

class IndexedModule implements UnwindModule {
  readonly name: string;
  readonly base: bigint;
  readonly size: bigint;
  readonly #timestamp: number | null;
  readonly #memory: AddressSpace;
  readonly #file: ByteSource | null;
  readonly #warnings: Warning[];
  #image: Promise<PeImage | null> | null = null;

  constructor(d: ModuleDescriptor, memory: AddressSpace, file: ByteSource | null, warnings: Warning[]) {
    this.name = d.name;
    this.base = d.base;
    this.size = d.size;
    this.#timestamp = d.timestamp ?? null;
    this.#memory = memory;
    this.#file = file;
    this.#warnings = warnings;
  }

  image(): Promise<PeImage | null> {
    this.#image ??= this.#load();
    return this.#image;
  }

  async #load(): Promise<PeImage | null> {
    const shortName = fileNameOf(this.name);
    if (this.#file) {
      const image = await tryLoadPeImage(fileImageReader(this.#file), this.#warnings);
      if (image) {
        const sizeOk = BigInt(image.headers.sizeOfImage) === this.size;
        const stampOk = this.#timestamp === null || this.#timestamp === 0 || image.headers.timestamp === this.#timestamp;
        if (sizeOk && stampOk) return this.#adopt(image);
        this.#warnings.push({
          kind: 'image-mismatch',
          message: `${this.#file.name} does not match the loaded ${shortName} (${sizeOk ? 'timestamp' : 'size'} differs); not used`,
        });
      }
    }
    // Minidumps without full memory usually lack module images; only try when the first page is there.
    if (!this.#memory.rangeAt(this.base)) return null;
    // Linux and macOS dumps may capture an ELF or Mach-O header there: not a PE image, and not
    // worth a warning.
    if (isForeignImage(await this.#memory.read(this.base, 4))) return null;
    const image = await tryLoadPeImage(mappedImageReader(this.#memory, this.base, shortName), this.#warnings);
    return image ? this.#adopt(image) : null;
  }

  #adopt(image: PeImage): PeImage {
    this.loaded = image;
    return image;
  }

  /** The image once loaded, for collecting its warnings. */
  loaded: PeImage | null = null;
}

const FOREIGN_MAGICS = [0x464c457f /* \x7fELF */, 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe /* Mach-O */];

function isForeignImage(head: Uint8Array | null): boolean {
  if (!head || head.length < 4) return false;
  return FOREIGN_MAGICS.includes(u32(head, 0));
}

/**
 * Builds the module index. `files` are module files the user supplied; each is matched to the
 * loaded module of the same file name (case-insensitive).
 */
export function createModuleIndex(descriptors: readonly ModuleDescriptor[], memory: AddressSpace, files: readonly ByteSource[] = []): ModuleIndex {
  const own: Warning[] = [];
  const byName = new Map<string, ByteSource>();
  for (const f of files) byName.set(fileNameOf(f.name).toLowerCase(), f);
  const modules = descriptors
    .filter((d) => d.size > 0n)
    .map((d) => new IndexedModule(d, memory, byName.get(fileNameOf(d.name).toLowerCase()) ?? null, own))
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  return {
    modules,
    // Image warnings appear as images are used, so the list is gathered when asked for.
    get warnings(): Warning[] {
      const all = [...own];
      for (const m of modules) for (const w of m.loaded?.warnings ?? []) if (!all.some((a) => a.message === w.message)) all.push(w);
      return all;
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
