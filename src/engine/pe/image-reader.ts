// One way to read a PE image by RVA, whichever form we have it in. In a dump the image is
// mapped: an RVA is simply base + rva, and pages the dump did not capture are missing. A module
// file the user supplies is in file layout: an RVA must be translated through the section table
// to a raw file offset, and bytes past a section's raw data (.bss tails) read as zeros, as the
// loader would have left them.
import type { ByteSource } from '../io/byte-source.ts';
import type { AddressSpace } from '../memory/address-space.ts';

/** Largest single read a PE parser may ask for; anything bigger is a corrupt size field. */
export const MAX_IMAGE_READ = 16 * 1024 * 1024;

export interface ImageSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  rawOffset: number;
  rawSize: number;
  characteristics: number;
}

export interface ImageReader {
  readonly layout: 'mapped' | 'file';
  /** A name for messages ("kernel32.dll"). */
  readonly name: string;
  /** `length` bytes at `rva`, or null when any of them is not available. */
  read(rva: number, length: number): Promise<Uint8Array | null>;
  /** Bytes at a raw file offset; only a file has them (null for a mapped image). */
  readFileOffset(offset: number, length: number): Promise<Uint8Array | null>;
  /**
   * The same image once its section table is known. A mapped image ignores it; a file needs
   * it to translate RVAs beyond the headers.
   */
  withSections(sections: readonly ImageSection[], sizeOfHeaders: number): ImageReader;
}

function badRange(rva: number, length: number): boolean {
  return !Number.isSafeInteger(rva) || rva < 0 || length < 0 || length > MAX_IMAGE_READ || rva > 0xffffffff;
}

/** An image mapped at `base` in dump memory. */
export function mappedImageReader(memory: AddressSpace, base: bigint, name: string): ImageReader {
  const reader: ImageReader = {
    layout: 'mapped',
    name,
    async read(rva, length) {
      if (badRange(rva, length)) return null;
      if (length === 0) return new Uint8Array(0);
      return memory.read(base + BigInt(rva), length);
    },
    async readFileOffset() {
      return null;
    },
    withSections() {
      return reader;
    },
  };
  return reader;
}

/**
 * An image in file layout. Until the section table is known only the headers are reachable
 * (RVA = file offset there), which is all the header parser needs.
 */
export function fileImageReader(source: ByteSource, sections: readonly ImageSection[] = [], sizeOfHeaders = 0x1000): ImageReader {
  async function readExact(offset: number, length: number): Promise<Uint8Array | null> {
    if (offset + length > source.size) return null;
    const bytes = await source.read(offset, length);
    return bytes.length === length ? bytes : null;
  }

  return {
    layout: 'file',
    name: source.name,
    async read(rva, length) {
      if (badRange(rva, length)) return null;
      if (length === 0) return new Uint8Array(0);
      if (rva + length <= sizeOfHeaders) return readExact(rva, length);
      const section = sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.rawSize));
      if (!section) return null;
      const span = Math.max(section.virtualSize, section.rawSize);
      const within = rva - section.virtualAddress;
      // A read may not run off its section: the next section's bytes are elsewhere in the file.
      if (within + length > span) return null;
      const out = new Uint8Array(length);
      const fromRaw = Math.max(0, Math.min(length, section.rawSize - within));
      if (fromRaw > 0) {
        const raw = await readExact(section.rawOffset + within, fromRaw);
        if (!raw) return null;
        out.set(raw, 0);
      }
      return out;
    },
    async readFileOffset(offset, length) {
      if (badRange(offset, length)) return null;
      return readExact(offset, length);
    },
    withSections(next, headers) {
      return fileImageReader(source, next, Math.max(0, Math.min(headers, source.size)));
    },
  };
}
