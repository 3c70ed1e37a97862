// Random-access reads over a dump that may be many gigabytes: nothing here ever holds the
// whole file. Every reader above this layer asks for (offset, length) slices.

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** A name for messages ("crash.dmp"). */
  readonly name: string;
  /**
   * Reads up to `length` bytes at `offset`. Returns fewer bytes only at end of file; never
   * throws for a range past the end (returns what exists, possibly empty).
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * The `length` bytes at `offset` when the source already holds them all (a cached block, an
   * array in memory), as a view to read at once and not keep; undefined when only read() can
   * tell. Optional: lets the stack walkers read a pointer without a promise chain per layer.
   */
  peek?(offset: number, length: number): Uint8Array | undefined;
}
