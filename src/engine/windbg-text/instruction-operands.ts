// What the instruction the debugger stopped at does to memory. WinDbg disassembles the current
// instruction with its memory operand's effective address and contents at the end:
//   mov     rax,qword ptr [rdx+10h] ds:00000000`00000010=????????????????
//   mov     [eax+0x101],bl          ds:0023:00c87001=??
//   cmp     [eax+0x58],ecx          ds:0023:7f504da8=000000f8
// "????" means the debugger could not read that memory: the instruction faults there. When no
// exception record says what an access violation tried, this does: a store writes, anything
// else reads, and a read-modify-write of unreadable memory faults on its read. Without the
// `ds:` part, the address is computed from the operand and the registers (`[rbx+20h]`, rbx=0).
import { parseHex } from '../core/hex.ts';

export interface MemoryAccess {
  kind: 'read' | 'write';
  address: bigint;
  /** The debugger printed "????" for the contents: the memory cannot be read. */
  unreadable: boolean;
}

/** Instructions whose memory destination is only written. */
const STORES = new Set([
  'mov', 'movs', 'movsb', 'movsw', 'movsd', 'movsq', 'movnti', 'movd', 'movq', 'movdqa', 'movdqu', 'movaps', 'movapd', 'movups',
  'movupd', 'movss', 'movlps', 'movhps', 'movlpd', 'movhpd', 'movntdq', 'movntps', 'movbe', 'stos', 'stosb', 'stosw', 'stosd',
  'stosq', 'fst', 'fstp', 'fist', 'fistp', 'fisttp', 'fbstp', 'fnstcw', 'fnstsw', 'fnstenv', 'fnsave', 'fxsave', 'pop', 'vmovdqa',
  'vmovdqu', 'vmovaps', 'vmovups', 'vmovapd', 'vmovupd', 'vmovss', 'vmovsd', 'vmovq', 'vmovd', 'vmovntdq',
]);
/** Instructions that read their memory destination, then write it. */
const READ_MODIFY_WRITE = new Set([
  'add', 'adc', 'sub', 'sbb', 'and', 'or', 'xor', 'inc', 'dec', 'neg', 'not', 'shl', 'shr', 'sal', 'sar', 'rol', 'ror', 'rcl',
  'rcr', 'xadd', 'cmpxchg', 'cmpxchg8b', 'cmpxchg16b', 'xchg', 'bts', 'btr', 'btc',
]);
const PREFIXES = new Set(['lock', 'rep', 'repe', 'repz', 'repne', 'repnz', 'notrack', 'bnd']);

// "ds:00000000`00000010=????????????????", "ds:0023:00c87001=??", "ss:0023:0012ff50=00000000".
const EFFECTIVE = /^[cdefgs]s:(?:[0-9a-f]{4}:)?([0-9a-f]{1,8}(?:`[0-9a-f]{8})?|[0-9a-f]{9,16})=([0-9a-f?]{1,32})$/i;

function displacement(text: string): bigint | null {
  if (/^(?:0x)?[0-9a-f]{1,16}$/i.test(text)) return BigInt(`0x${text.replace(/^0x/i, '')}`);
  if (/^[0-9a-f]{1,17}h$/i.test(text)) return BigInt(`0x${text.slice(0, -1)}`);
  return null;
}

/**
 * The address "[rbx+20h]", "[eax+ecx*4-8]", "[rdx]" names with these registers, or null when a
 * register is missing or a term is not one WinDbg prints.
 */
export function operandAddress(operand: string, regs: ReadonlyMap<string, bigint>, bits: 32 | 64): bigint | null {
  const open = operand.indexOf('[');
  const close = operand.indexOf(']', open);
  if (open < 0 || close < 0) return null;
  const inner = operand.slice(open + 1, close).replace(/\s+/g, '');
  if (inner.length === 0 || inner.length > 64) return null;
  let sum = 0n;
  // Terms and their signs, split by hand: "+" and "-" separate terms, "*" joins a register and its scale.
  let pos = 0;
  while (pos < inner.length) {
    let sign = 1n;
    if (inner[pos] === '+' || inner[pos] === '-') {
      sign = inner[pos] === '-' ? -1n : 1n;
      pos++;
    }
    let end = pos;
    while (end < inner.length && inner[end] !== '+' && inner[end] !== '-') end++;
    const term = inner.slice(pos, end).toLowerCase();
    pos = end;
    const [name, scale] = term.split('*');
    const reg = regs.get(name!);
    if (reg !== undefined) {
      const times = scale === undefined ? 1n : scale === '1' || scale === '2' || scale === '4' || scale === '8' ? BigInt(scale) : null;
      if (times === null) return null;
      sum += sign * reg * times;
      continue;
    }
    const d = scale === undefined ? displacement(name!) : null;
    if (d === null) return null;
    sum += sign * d;
  }
  const mask = bits === 32 ? 0xffffffffn : 0xffffffffffffffffn;
  return sum & mask;
}

/**
 * The memory access of one disassembled instruction (the text after the opcode bytes), or null
 * when it has no single memory operand. `regs` fills in the address when no `ds:` part says it.
 */
export function memoryAccess(text: string, regs: ReadonlyMap<string, bigint> | null = null, bits: 32 | 64 = 64): MemoryAccess | null {
  const tokens = text.trim().split(/\s+/);
  let i = 0;
  while (i < tokens.length && PREFIXES.has(tokens[i]!.toLowerCase())) i++;
  const mnemonic = tokens[i]?.toLowerCase();
  if (!mnemonic) return null;
  let effective: RegExpExecArray | null = null;
  const last = tokens[tokens.length - 1]!;
  if (tokens.length > i + 1) effective = EFFECTIVE.exec(last);
  const operandText = tokens.slice(i + 1, effective ? -1 : undefined).join(' ');
  const operands = operandText.split(',');
  const memIndex = operands.findIndex((o) => o.includes('['));
  // String instructions (movs, cmps) name two memory operands: which one faulted is not said.
  if (memIndex < 0 || operands.filter((o) => o.includes('[')).length > 1) return null;
  const unreadable = effective !== null && /^\?+$/.test(effective[2]!);
  let kind: 'read' | 'write' = 'read';
  if (memIndex === 0 && STORES.has(mnemonic)) kind = 'write';
  else if (memIndex === 0 && READ_MODIFY_WRITE.has(mnemonic)) kind = unreadable ? 'read' : 'write';
  let address: bigint | null = effective ? parseHex(effective[1]!) : null;
  if (address === null && regs) address = operandAddress(operands[memIndex]!, regs, bits);
  if (address === null) return null;
  return { kind, address, unreadable };
}
