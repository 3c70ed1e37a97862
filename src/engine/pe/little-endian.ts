// Little-endian field access over a slice the caller has already bounds-checked. PE structures
// are read as small fixed-size slices (a header, one table entry), so a field outside the slice
// is a bug in the layout tables here, not bad input: callers check lengths before reading.

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
