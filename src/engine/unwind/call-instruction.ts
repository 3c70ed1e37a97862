// Does a CALL instruction end exactly at a given address? A return address is always the
// address just after the CALL that pushed it, so a stack value whose preceding bytes do not
// decode as one cannot be a return address. The encodings checked:
//   E8 rel32                      5 bytes, near relative (x86 and x64)
//   FF /2 (call r/m), FF /3 (far) 2..7 bytes by ModRM/SIB/displacement, x64 REX prefix or not
//   9A ptr16:32                   7 bytes, far absolute (x86 only: invalid in 64-bit mode)
// A 66h-prefixed 16-bit CALL or a prefix-only variant is not considered: compilers do not
// emit them for calls that return into user code.

/** Length of an FF-opcode instruction from its ModRM (and SIB) byte, 32/64-bit addressing. */
function modrmLength(modrm: number, sib: number | undefined): number {
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (mod === 3) return 2; // register operand
  const hasSib = rm === 4;
  let length = 2 + (hasSib ? 1 : 0);
  if (mod === 0) {
    if (rm === 5) length += 4; // disp32 (RIP-relative on x64)
    else if (hasSib && sib !== undefined && (sib & 7) === 5) length += 4; // SIB with no base: disp32
  } else if (mod === 1) length += 1;
  else length += 4;
  return length;
}

/**
 * `before` holds the bytes immediately preceding the candidate return address (its last byte
 * is the one just before it); at least 7 are needed to try every form.
 */
export function endsWithCall(before: Uint8Array, arch: 'x86' | 'amd64'): boolean {
  const n = before.length;
  const at = (back: number): number | undefined => (back <= n ? before[n - back] : undefined);
  if (at(5) === 0xe8) return true;
  if (arch === 'x86' && at(7) === 0x9a) return true;
  for (let length = 2; length <= 7; length++) {
    if (at(length) !== 0xff) continue;
    const modrm = at(length - 1);
    if (modrm === undefined) continue;
    const reg = (modrm >> 3) & 7;
    if (reg !== 2 && reg !== 3) continue;
    // A far call through a register does not exist.
    if (reg === 3 && modrm >> 6 === 3) continue;
    const sib = length >= 3 ? at(length - 2) : undefined;
    if (modrmLength(modrm, sib) === length) return true;
  }
  return false;
}
