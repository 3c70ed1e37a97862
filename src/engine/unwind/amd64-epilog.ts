// Unwinding from inside an x64 epilog. The prolog's unwind codes describe the frame as it is
// after the prolog; once the epilog has started undoing it (RSP moved back, some registers
// popped), applying them would pop the wrong slots. The x64 ABI restricts epilogs to one form,
// so the instructions can be recognised and simulated forward to the RET instead:
//   [add rsp, imm8/imm32 | lea rsp, [reg+disp8/disp32]]  pop reg ...  ret / ret imm16 /
//   rep ret / jmp outside the function (a tail call) / jmp [rip+disp32]
// Recognition only runs where the instruction pointer is exact (frame 0, or a frame found
// through a machine frame): a return address is not an instruction the frame was executing.
// A JMP back into the function (an epilog split by the compiler) is not followed; such a
// frame is unwound with the prolog codes as if in the body.
// Version-2 unwind info lists epilog locations too; the instruction check is used for both
// versions because it also covers version-1 images, which are most of them.
import type { AddressSpace } from '../memory/address-space.ts';
import { i32, u16 } from '../io/little-endian.ts';
import { readPointer } from './stack-memory.ts';

type EpilogStep =
  | { op: 'add'; value: bigint }
  | { op: 'lea'; register: number; disp: bigint }
  | { op: 'pop'; register: number }
  | { op: 'ret'; extra: bigint }
  | { op: 'tail' };

const MAX_POPS = 16;

/**
 * Decodes the epilog starting at `code[0]`, or null when the bytes are not one.
 * `ip` and the function's [begin, end) decide whether a JMP leaves the function.
 */
export function decodeEpilog(code: Uint8Array, ip: bigint, fnBegin: bigint, fnEnd: bigint): EpilogStep[] | null {
  const steps: EpilogStep[] = [];
  let pc = 0;
  const byte = (k: number): number | undefined => code[pc + k];
  // Optional stack restore; both forms need REX.W.
  const rex = byte(0);
  if (rex !== undefined && (rex & 0xf8) === 0x48) {
    const opcode = byte(1);
    const modrm = byte(2);
    if (rex === 0x48 && opcode === 0x83 && modrm === 0xc4 && code.length >= pc + 4) {
      steps.push({ op: 'add', value: BigInt((code[pc + 3]! << 24) >> 24) });
      pc += 4;
    } else if (rex === 0x48 && opcode === 0x81 && modrm === 0xc4 && code.length >= pc + 7) {
      steps.push({ op: 'add', value: BigInt(i32(code, pc + 3)) });
      pc += 7;
    } else if (opcode === 0x8d && modrm !== undefined && (rex & 0x06) === 0 && ((modrm >> 3) & 7) === 4 && (modrm & 7) !== 4) {
      const mod = modrm >> 6;
      const register = (modrm & 7) + ((rex & 1) !== 0 ? 8 : 0);
      if (mod === 1 && code.length >= pc + 4) {
        steps.push({ op: 'lea', register, disp: BigInt((code[pc + 3]! << 24) >> 24) });
        pc += 4;
      } else if (mod === 2 && code.length >= pc + 7) {
        steps.push({ op: 'lea', register, disp: BigInt(i32(code, pc + 3)) });
        pc += 7;
      } else return null;
    } else if (opcode !== undefined && opcode >= 0x58 && opcode <= 0x5f) {
      // A REX-prefixed pop (49 5x is unusual but legal); handled by the pop loop below.
    } else return null;
  }
  for (let pops = 0; pops <= MAX_POPS; pops++) {
    let b = byte(0);
    let high = 0;
    if (b !== undefined && (b & 0xf0) === 0x40) {
      high = (b & 1) !== 0 ? 8 : 0;
      pc += 1;
      b = byte(0);
    }
    if (b === undefined) return null;
    if (b >= 0x58 && b <= 0x5f) {
      steps.push({ op: 'pop', register: b - 0x58 + high });
      pc += 1;
      continue;
    }
    if (b === 0xc3) return [...steps, { op: 'ret', extra: 0n }];
    if (b === 0xf3 && byte(1) === 0xc3) return [...steps, { op: 'ret', extra: 0n }];
    if (b === 0xc2 && code.length >= pc + 3) return [...steps, { op: 'ret', extra: BigInt(u16(code, pc + 1)) }];
    if (b === 0xe9 || b === 0xeb) {
      const length = b === 0xe9 ? 5 : 2;
      if (code.length < pc + length) return null;
      const rel = b === 0xe9 ? i32(code, pc + 1) : (code[pc + 1]! << 24) >> 24;
      const target = ip + BigInt(pc + length + rel);
      return target >= fnBegin && target < fnEnd ? null : [...steps, { op: 'tail' }];
    }
    if (b === 0xff && byte(1) === 0x25) return [...steps, { op: 'tail' }];
    return null;
  }
  return null;
}

export interface EpilogResult {
  rip: bigint;
  rsp: bigint;
  /** Registers popped on the way, by unwind-code number. */
  restored: Map<number, bigint>;
}

/** Simulates `steps` from `regs`; null when a value it needs is not in the dump or unknown. */
export async function simulateEpilog(
  steps: EpilogStep[],
  rsp: bigint,
  registerValue: (n: number) => bigint | undefined,
  memory: AddressSpace,
): Promise<EpilogResult | null> {
  const restored = new Map<number, bigint>();
  const value = (n: number): bigint | undefined => (restored.has(n) ? restored.get(n) : registerValue(n));
  let sp = rsp;
  for (const step of steps) {
    switch (step.op) {
      case 'add':
        sp += step.value;
        break;
      case 'lea': {
        const base = value(step.register);
        if (base === undefined) return null;
        sp = base + step.disp;
        break;
      }
      case 'pop': {
        const v = await readPointer(memory, sp, 8);
        if (v === null) return null;
        restored.set(step.register, v);
        sp += 8n;
        break;
      }
      case 'ret':
      case 'tail': {
        const rip = await readPointer(memory, sp, 8);
        if (rip === null) return null;
        return { rip, rsp: sp + 8n + (step.op === 'ret' ? step.extra : 0n), restored };
      }
    }
  }
  return null;
}
