// Frames walked with STACK CFI from a Breakpad .sym: the DWARF call frame information dump_syms
// copies out of .eh_frame / .debug_frame, as rules per register ("`.cfa: $rsp 16 +`,
// `.ra: .cfa -8 + ^`"). The rules at the instruction give the canonical frame address (the
// caller's stack pointer), the return address and the registers the function saved; the
// callee-saved registers no rule mentions kept their values. Used where the module has no
// unwind tables of its own to read (no PE image with .pdata: Linux and macOS modules, or a
// Windows module whose code the dump lacks). As Breakpad's CFIFrameInfo.
import { recoverCallerRegisters, type PostfixMachine } from '../breakpad-sym/postfix.ts';
import { readPointer } from './stack-memory.ts';
import { checkReturnAddress } from './scan.ts';
import type { Amd64Registers, UnwindEnv, UnwoundFrame, X86Registers } from './types.ts';
import type { CallerResult, Strategy } from './walker.ts';

type Cpu = 'amd64' | 'x86';

const SPEC = {
  // System V's callee-saved registers: the .sym files with CFI come from ELF and Mach-O builds.
  amd64: { width: 8, ip: 'rip', sp: 'rsp', calleeSaved: ['rbx', 'rbp', 'r12', 'r13', 'r14', 'r15'], known: ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'] },
  x86: { width: 4, ip: 'eip', sp: 'esp', calleeSaved: ['ebx', 'esi', 'edi', 'ebp'], known: ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eip'] },
} as const;

async function callerByCfi<R extends Amd64Registers | X86Registers>(cpu: Cpu, callee: UnwoundFrame<R>, env: UnwindEnv): Promise<CallerResult<R>> {
  const spec = SPEC[cpu];
  // A return address belongs to the call before it; frame 0 stands at the instruction itself.
  const at = callee.index === 0 ? callee.ip : callee.ip - 1n;
  const module = env.moduleAt(at);
  const symbols = module?.symbols ? await module.symbols() : null;
  if (!module || !symbols) return null;
  const rules = await symbols.cfiRules(Number(at - module.base));
  if (!rules) return null;

  const regs = callee.registers as Record<string, bigint | undefined>;
  const values = new Map<string, bigint>();
  for (const name of spec.known) {
    const v = regs[name];
    if (v !== undefined) values.set(`$${name}`, v);
  }
  const machine: PostfixMachine = { bits: spec.width === 8 ? 64 : 32, readWord: (address) => readPointer(env.memory, address, spec.width) };
  const result = await recoverCallerRegisters(rules, values, machine);
  if (!result.ok) return null;
  const recovered = result.value.registers;
  const ip = recovered.get('.ra')!;
  const sp = recovered.get('.cfa')!;
  if (ip === 0n) return { kind: 'end' };
  if ((await checkReturnAddress(ip, env, cpu)) === 'rejected') return null;

  const out: Record<string, bigint> = { [spec.ip]: ip, [spec.sp]: sp };
  for (const name of spec.calleeSaved) {
    const v = recovered.get(`$${name}`) ?? regs[name];
    if (v !== undefined) out[name] = v;
  }
  return { kind: 'frame', frame: { ip, sp, trust: 'cfi', registers: out as unknown as R } };
}

export const getAmd64CallerByCfi: Strategy<Amd64Registers> = (callee, env) => callerByCfi('amd64', callee, env);
export const getX86CallerByCfi: Strategy<X86Registers> = (callee, env) => callerByCfi('x86', callee, env);
