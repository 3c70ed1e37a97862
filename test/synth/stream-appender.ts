// Appends one stream to a real minidump, leaving every byte of it where it was: the stream's
// bytes go after the end of the file and the directory gets one more entry, in one of the
// unused entries Wine pads its directory with, or else in a copy of the directory appended
// after the stream (the header then points at the copy). `build(base)` writes the stream for
// the file offset it will have, so it may hold RVAs to its own parts.

export interface AppendedStream {
  type: number;
  /** The stream's bytes, laid out for the file offset `base`. */
  build(base: number): Uint8Array;
  /**
   * The DataSize its directory entry records, when the stream proper is only the first part of
   * what `build` returns (a list whose strings and records follow it, as dbghelp lays them out).
   * Default: all of it.
   */
  size?: number;
}

const MISC_INFO_STREAM = 15;

/** The process id the dump's MiscInfo stream records, or null when it records none. */
export function miscProcessId(dump: Uint8Array): number | null {
  const v = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
  if (dump.length < 32 || v.getUint32(0, true) !== 0x504d444d) throw new Error('not a minidump');
  const count = v.getUint32(8, true);
  const dir = v.getUint32(12, true);
  for (let i = 0; i < count; i++) {
    const at = dir + 12 * i;
    if (v.getUint32(at, true) !== MISC_INFO_STREAM || v.getUint32(at + 4, true) < 12) continue;
    const misc = v.getUint32(at + 8, true);
    // MINIDUMP_MISC_INFO: SizeOfInfo, Flags1 (bit 0: ProcessId valid), ProcessId
    return (v.getUint32(misc + 4, true) & 1) !== 0 ? v.getUint32(misc + 8, true) : null;
  }
  return null;
}

export function appendStream(dump: Uint8Array, stream: AppendedStream): Uint8Array {
  const view = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
  if (dump.length < 32 || view.getUint32(0, true) !== 0x504d444d) throw new Error('not a minidump');
  const count = view.getUint32(8, true);
  const dirRva = view.getUint32(12, true);
  let free: number | undefined;
  for (let i = 0; i < count; i++) {
    const at = dirRva + 12 * i;
    const type = view.getUint32(at, true);
    if (type === stream.type) throw new Error(`the dump already has a stream of type ${stream.type}`);
    if (type === 0 && free === undefined) free = at;
  }
  const base = (dump.length + 7) & ~7;
  const bytes = stream.build(base);
  const dirCopy = free === undefined ? (base + bytes.length + 3) & ~3 : 0;
  const end = free === undefined ? dirCopy + 12 * (count + 1) : base + bytes.length;
  const out = new Uint8Array(end);
  out.set(dump);
  out.set(bytes, base);
  const v = new DataView(out.buffer);
  const entryAt = free ?? dirCopy + 12 * count;
  if (free === undefined) {
    out.set(dump.subarray(dirRva, dirRva + 12 * count), dirCopy);
    v.setUint32(8, count + 1, true);
    v.setUint32(12, dirCopy, true);
  }
  v.setUint32(entryAt, stream.type, true);
  v.setUint32(entryAt + 4, stream.size ?? bytes.length, true);
  v.setUint32(entryAt + 8, base, true);
  return out;
}
