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
}
