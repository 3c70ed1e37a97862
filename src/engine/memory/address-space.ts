// Process memory as the dump captured it, addressed by virtual address. Implemented over
// MemoryList / Memory64List (src/engine/memory/dump-memory.ts) and by test doubles; the PE
// reader, the unwinders and WOW64 recovery see only this interface.

export interface MemoryRange {
  base: bigint;
  size: bigint;
}

export interface AddressSpace {
  /**
   * Reads `length` bytes at virtual address `address`. Returns null when any byte of the
   * range is not in the dump (callers treat that as "unknown", never as zeros).
   */
  read(address: bigint, length: number): Promise<Uint8Array | null>;
  /**
   * The bytes at `address` when they are at hand without reading (see DumpMemory.peek): a view
   * to read at once; undefined when only read() can tell. Optional.
   */
  peek?(address: bigint, length: number): Uint8Array | undefined;
  /** The captured range that holds `address`, or null. */
  rangeAt(address: bigint): MemoryRange | null;
  /**
   * A key equal for two address ranges whose captured bytes are the very same bytes of the
   * dump file, placed alike (a dump may list one file range under many addresses), so what is
   * parsed from one serves the other; null when it cannot tell cheaply. Optional.
   */
  backingKey?(base: bigint, size: bigint): string | null;
}
