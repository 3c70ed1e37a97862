// FILE and INLINE_ORIGIN records by id, for the lines and inline frames a lookup names. dump_syms
// writes both in id order, so an id is a binary search away (or an index lookup in a file that
// is not sorted); the answers stay in a small cache bounded by the characters it holds, since
// neighbouring frames name the same few files again and again.
import { type RecordKind } from './record-head.ts';
import type { RegionFinder } from './region-finder.ts';
import type { ReadBudget, TextLine } from './text-lines.ts';
import { lineText } from './text-lines.ts';

/** Characters of names a table keeps cached (each table); older entries are dropped first. */
export const MAX_CACHED_NAME_CHARS = 512 * 1024;

export class NameTable<T extends { name: string }> {
  readonly #finder: RegionFinder;
  readonly #kind: RecordKind;
  readonly #parse: (text: string) => T | null;
  readonly #onBad: (line: TextLine) => void;
  readonly #cache = new Map<number, T | null>();
  #cachedChars = 0;

  constructor(finder: RegionFinder, kind: RecordKind, parse: (text: string) => T | null, onBad: (line: TextLine) => void) {
    this.#finder = finder;
    this.#kind = kind;
    this.#parse = parse;
    this.#onBad = onBad;
  }

  /** The record with this id, or null when the file has none (or it is malformed). */
  async get(id: number, budget: ReadBudget): Promise<T | null> {
    if (this.#cache.has(id)) {
      const hit = this.#cache.get(id)!;
      this.#cache.delete(id);
      this.#cache.set(id, hit);
      return hit;
    }
    const line = await this.#find(id, budget);
    let record: T | null = null;
    if (line !== null) {
      record = this.#parse(lineText(line));
      if (record === null) this.#onBad(line);
    }
    this.#remember(id, record);
    return record;
  }

  async #find(id: number, budget: ReadBudget): Promise<TextLine | null> {
    const sorted = await this.#finder.searchSorted(new Set([this.#kind]), id, budget);
    if (sorted !== 'unsorted') return sorted !== null && sorted.head.key === id ? sorted.line : null;
    const index = await this.#finder.index(this.#kind);
    const position = index.lastAtOrBelow(id);
    if (position < 0 || index.keys[position] !== id) return null;
    return (await this.#finder.readIndexed(this.#kind, index, position, budget))?.line ?? null;
  }

  #remember(id: number, record: T | null): void {
    const chars = record?.name.length ?? 0;
    this.#cache.set(id, record);
    this.#cachedChars += chars;
    while (this.#cachedChars > MAX_CACHED_NAME_CHARS && this.#cache.size > 1) {
      const [oldId, oldRecord] = this.#cache.entries().next().value!;
      this.#cache.delete(oldId);
      this.#cachedChars -= oldRecord?.name.length ?? 0;
    }
  }
}
