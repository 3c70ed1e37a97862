// Parsed module images, shared and bounded. A dump may list one image under many modules (the
// same bytes of the file mapped at many addresses, or one module file the user gave matched by
// many modules of that name): each distinct image is parsed once, whatever number of modules
// point at it. What the parsed images hold (export tables, .pdata read whole, unwind info) is
// bounded in total: past MAX_IMAGE_CACHE_BYTES the least recently used images are dropped, with
// one warning, and parsed again if a walk needs them later.
import type { Warning } from '../core/warnings.ts';
import type { PeImage } from '../pe/pe-image.ts';

/** Bytes all parsed images may hold together (see PeImage.heldBytes). */
export const MAX_IMAGE_CACHE_BYTES = 128 * 1024 * 1024;

interface Entry {
  image: Promise<PeImage | null>;
  loaded: PeImage | null;
}

export class ImageCache {
  readonly maxBytes: number;
  readonly #entries = new Map<unknown, Entry>();
  readonly #warnings: Warning[];
  #warned = false;
  #gets = 0;
  /** Images dropped to stay within the bound, for the tests and the warning. */
  evicted = 0;

  constructor(warnings: Warning[], maxBytes = MAX_IMAGE_CACHE_BYTES) {
    this.#warnings = warnings;
    this.maxBytes = maxBytes;
  }

  /** The image for `key`, loading it with `load` when it is not held. */
  get(key: unknown, load: () => Promise<PeImage | null>): Promise<PeImage | null> {
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      // Held bytes grow as an image's tables are read after it was added; summing them costs a
      // step per image, so a hit checks the bound now and then rather than every time.
      if (++this.#gets % 64 !== 0) return entry.image;
    } else {
      const created: Entry = { image: Promise.resolve(null), loaded: null };
      created.image = load().then((image) => (created.loaded = image));
      entry = created;
      this.#entries.set(key, entry);
    }
    this.#bound(key);
    return entry.image;
  }

  /** Images parsed and held now (each image's own warnings go into the report). */
  get images(): PeImage[] {
    const out: PeImage[] = [];
    for (const e of this.#entries.values()) if (e.loaded) out.push(e.loaded);
    return out;
  }

  get heldBytes(): number {
    let total = 0;
    for (const e of this.#entries.values()) total += e.loaded?.heldBytes ?? 0;
    return total;
  }

  /** Drops least recently used images (never `keep`) until the rest fit. */
  #bound(keep: unknown): void {
    let total = this.heldBytes;
    if (total <= this.maxBytes) return;
    for (const [key, entry] of this.#entries) {
      if (total <= this.maxBytes) break;
      if (key === keep || entry.loaded === null) continue;
      total -= entry.loaded.heldBytes;
      // Its warnings stay in the report even though the image goes.
      for (const w of entry.loaded.warnings) if (!this.#warnings.some((x) => x.message === w.message)) this.#warnings.push(w);
      this.#entries.delete(key);
      this.evicted++;
    }
    if (!this.#warned) {
      this.#warned = true;
      this.#warnings.push({
        kind: 'cap-cache',
        message: `parsed module images came to more than ${this.maxBytes / (1024 * 1024)} MiB; the least recently used were dropped and are read again when a walk needs them`,
      });
    }
  }
}
