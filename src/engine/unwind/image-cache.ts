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

export interface ImageCache {
  /** The image for `key`, loading it with `load` when it is not held. */
  get(key: unknown, load: () => Promise<PeImage | null>): Promise<PeImage | null>;
  /** Images held now (parsed or being parsed). */
  readonly size: number;
  /** Bytes the held images hold. */
  readonly heldBytes: number;
  /** Images dropped to stay within the bound. */
  readonly evicted: number;
}

export function imageCache(warnings: Warning[], maxBytes = MAX_IMAGE_CACHE_BYTES): ImageCache {
  const entries = new Map<unknown, { image: Promise<PeImage | null>; loaded: PeImage | null }>();
  // The most recently used key: asked again (as a walk does, frame after frame in one module),
  // it is already last in the map, and moving it there again would only churn the map.
  let last: unknown = undefined;
  let gets = 0;
  let evicted = 0;
  const held = (): number => {
    let total = 0;
    for (const e of entries.values()) total += e.loaded?.heldBytes ?? 0;
    return total;
  };
  return {
    get(key, load) {
      let entry = entries.get(key);
      if (entry) {
        if (key !== last) {
          entries.delete(key);
          entries.set(key, entry);
          last = key;
        }
        // Held bytes grow as an image's tables are read after it was added; summing them costs
        // a step per image, so a hit checks the bound now and then rather than every time.
        if (++gets % 64 !== 0) return entry.image;
      } else {
        const created = { image: Promise.resolve<PeImage | null>(null), loaded: null as PeImage | null };
        created.image = load().then((image) => (created.loaded = image));
        entries.set(key, (entry = created));
        last = key;
      }
      // Drop the least recently used (never this one) until the rest fit.
      let total = held();
      for (const [k, e] of entries) {
        if (total <= maxBytes) break;
        if (k === key || !e.loaded) continue;
        total -= e.loaded.heldBytes;
        entries.delete(k);
        if (evicted++ === 0) {
          warnings.push({ kind: 'cap-cache', message: `parsed module images came to more than ${maxBytes >> 20} MiB; the least recently used were dropped and are read again when a walk needs them` });
        }
      }
      return entry.image;
    },
    get size() {
      return entries.size;
    },
    get heldBytes() {
      return held();
    },
    get evicted() {
      return evicted;
    },
  };
}
