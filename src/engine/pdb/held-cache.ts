// A least-recently-used cache whose entries' total size stays under a byte budget: the page
// cache and the parsed tables (module procedure indexes, line-table directories, names) each
// hold one, so a reader keeps at most SymbolReadLimits.maxHeldBytes whatever the file claims.

export class HeldCache<K, V> {
  readonly maxBytes: number;
  #entries = new Map<K, { value: V; bytes: number }>();
  #held = 0;

  constructor(maxBytes: number) {
    this.maxBytes = Math.max(0, maxBytes);
  }

  get heldBytes(): number {
    return this.#held;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone is larger than the budget; evicts the oldest entries to fit. */
  set(key: K, value: V, bytes: number): void {
    const old = this.#entries.get(key);
    if (old !== undefined) {
      this.#entries.delete(key);
      this.#held -= old.bytes;
    }
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#held += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#held <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#held -= entry.bytes;
    }
  }
}
