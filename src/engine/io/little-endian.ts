// Little-endian fields of a byte slice the caller has already bounds-checked: a PE header, one
// table entry, a TEB or a context read from dump memory at the size it needs. A field outside
// the slice reads as 0, since that would be a bug in a layout table, not bad input. Readers of
// untrusted slices (minidump streams) use BinaryReader, which checks every field and decodes
// through a DataView: measured 1.4x (u32) to 2.4x (u64) faster than these byte shifts, and it
// reads the million-entry lists.

export function u8(bytes: Uint8Array, offset: number): number {
  return bytes[offset] ?? 0;
}

export function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

export function u32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) |
      ((bytes[offset + 1] ?? 0) << 8) |
      ((bytes[offset + 2] ?? 0) << 16) |
      ((bytes[offset + 3] ?? 0) << 24)) >>>
    0
  );
}

export function i32(bytes: Uint8Array, offset: number): number {
  return u32(bytes, offset) | 0;
}

export function u64(bytes: Uint8Array, offset: number): bigint {
  return BigInt(u32(bytes, offset)) | (BigInt(u32(bytes, offset + 4)) << 32n);
}

/** A NUL-terminated single-byte string from the start of `bytes` (the whole slice if no NUL). */
export function cString(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, end));
}
