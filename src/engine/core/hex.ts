// Addresses travel as "0x…" strings (the dump model is plain JSON, and 64-bit values do not fit
// a JS number); these helpers are the one place that turns them into numbers and back, so
// comparisons never lose the top bits of a 64-bit address. No zod here: the page's own script
// uses these words, and the schema (dump-model.ts) is the engine's.

/** Lower-case hex with a 0x prefix and no padding: "0x7d4e2366". */
export type Hex = string;
export const HEX_PATTERN = /^0x[0-9a-f]+$/;

export function hex(value: bigint | number): Hex {
  const v = typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
  return `0x${(v < 0n ? BigInt.asUintN(64, v) : v).toString(16)}`;
}

/** A 32-bit code as "0x%08x" (exception codes, NTSTATUS, HRESULT). */
export function code32(value: number | bigint): string {
  const v = Number(BigInt.asUintN(32, BigInt(value)));
  return `0x${v.toString(16).padStart(8, '0')}`;
}

export function big(value: Hex | string): bigint {
  const s = value.replace(/`/g, '');
  return BigInt(s.startsWith('0x') || s.startsWith('0X') ? s : `0x${s}`);
}

/** Parses WinDbg-style hex ("00000000`7d4e2366", "7d4e2366", "0x6d9") or returns null. */
export function parseHex(text: string): bigint | null {
  const s = text.trim().replace(/`/g, '').replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{1,16}$/.test(s)) return null;
  return BigInt(`0x${s}`);
}
