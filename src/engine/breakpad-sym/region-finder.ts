// One region of the file and how its records are found: by binary search while the region
// looks sorted, by the streaming index once it does not (a sample at first use says so, or a
// search meets keys out of order). The switch happens once per region and every later lookup
// uses the index; concurrent lookups share the one pass that builds it.
import { buildIndexes, type KeyIndex } from './record-index.ts';
import type { RecordHead, RecordKind } from './record-head.ts';
import { type FoundRecord, lastAtOrBelow, looksSorted, OrderBroken, type Region } from './sorted-search.ts';
import { ReadBudget, type SymText, type TextLine } from './text-lines.ts';

/** Places a region is sampled at before it is trusted to be sorted (see looksSorted). */
export const ORDER_SAMPLES = 10;

/** Memory the indexes of one reader may hold; shared by all its regions. */
export class HeldBytes {
  readonly limit: number;
  used = 0;
  /** Set once an index had to stop short of its region for want of memory. */
  cut = false;
  constructor(limit: number) {
    this.limit = limit;
  }
  get free(): number {
    return Math.max(0, this.limit - this.used);
  }
}

export interface RegionFinderOptions {
  /** Kinds looked up in this region. */
  kinds: readonly RecordKind[];
  /** Kinds whose presence in the region means it is not laid out as expected. */
  foreign: readonly RecordKind[];
  /** Whether the kinds may be interleaved in one key order (FUNC and PUBLIC may; STACK WIN and CFI not). */
  mixed: boolean;
  /** Start in index mode (a file not in dump_syms order). */
  indexed: boolean;
}

/** A record found, by either path: its line, parsed head and byte offset. */
export interface Located {
  line: TextLine;
  head: RecordHead;
}

export class RegionFinder {
  readonly region: Region;
  readonly #text: SymText;
  readonly #options: RegionFinderOptions;
  readonly #held: HeldBytes;
  #sorted: Promise<boolean> | null;
  #indexes: Promise<Map<RecordKind, KeyIndex>> | null = null;

  constructor(text: SymText, region: Region, options: RegionFinderOptions, held: HeldBytes) {
    this.#text = text;
    this.region = region;
    this.#options = options;
    this.#held = held;
    this.#sorted = options.indexed ? Promise.resolve(false) : null;
  }

  /** Whether lookups here still go by binary search (sampling the region on first call). */
  isSorted(budget: ReadBudget): Promise<boolean> {
    this.#sorted ??= looksSorted(
      this.#text,
      this.region,
      new Set(this.#options.kinds),
      new Set(this.#options.foreign),
      ORDER_SAMPLES,
      budget,
      this.#options.mixed,
    ).catch((error: unknown) => {
      this.#sorted = null; // a failed read decides nothing: the next lookup samples again
      throw error;
    });
    return this.#sorted;
  }

  /**
   * The last record of `kinds` (a subset of the region's) with key ≤ target, by binary search
   * while the region is sorted. Returns 'unsorted' when the region is (or turns out to be) not
   * sorted: the caller then asks the index.
   */
  async searchSorted(kinds: ReadonlySet<RecordKind>, target: number, budget: ReadBudget): Promise<FoundRecord | null | 'unsorted'> {
    if (!(await this.isSorted(budget))) return 'unsorted';
    try {
      return await lastAtOrBelow(this.#text, this.region, kinds, target, budget);
    } catch (error) {
      if (!(error instanceof OrderBroken)) throw error;
      this.#sorted = Promise.resolve(false);
      return 'unsorted';
    }
  }

  /** The index of `kind` over this region, built by one pass over it on first use. */
  async index(kind: RecordKind): Promise<KeyIndex> {
    if (this.#indexes === null) {
      // The pass reads the region once, whatever the per-lookup limit: it is bounded by the file.
      const pass = new ReadBudget(this.region.end - this.region.start + 1);
      const pending = buildIndexes(this.#text, this.region, this.#options.kinds, this.#held.free, pass).then((indexes) => {
        for (const built of indexes.values()) {
          this.#held.used += built.heldBytes;
          if (!built.complete) this.#held.cut = true;
        }
        return indexes;
      });
      // A failed read must not leave a broken index behind: the next lookup tries again.
      pending.catch(() => {
        if (this.#indexes === pending) this.#indexes = null;
      });
      this.#indexes = pending;
    }
    const index = (await this.#indexes).get(kind);
    if (index === undefined) throw new Error(`no ${kind} index in this region`);
    return index;
  }

  /** The record an index entry points at. */
  async readIndexed(kind: RecordKind, index: KeyIndex, position: number, budget: ReadBudget): Promise<Located | null> {
    const offset = index.offsets[position];
    if (offset === undefined) return null;
    const line = await this.#text.lineAt(offset, this.#text.size, budget);
    if (line === null) return null;
    return { line, head: { kind, key: index.keys[position]!, size: index.sizes[position]!, winType: index.types[position]! } };
  }
}
