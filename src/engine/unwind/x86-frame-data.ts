// x86 frames that keep no frame pointer, walked with the frame data of the module's symbol
// file: FPO_DATA and FRAMEDATA from a PDB, STACK WIN from a Breakpad .sym (the same records,
// written out by dump_syms). This follows Breakpad's StackwalkerX86::GetCallerByWindowsFrameInfo,
// which matches what the Windows debuggers do with the same data:
//   - .raSearchStart, where the return address should be, is the callee's ESP plus the
//     parameters it pushed for its own callee (.cbCalleeParams: that frame's record said how
//     many), its locals and its saved registers; up to three words above are scanned for a
//     return address, since a function that aligned its stack to a quadword moved it;
//   - a FRAMEDATA record's program computes the caller's $eip, $esp, $ebp (and what else it
//     saved) from the callee's registers and stack; an FPO record without a program gets the
//     program Breakpad writes for it (the return address at .raSearchStart, and EBP read from
//     the saved-register area when the function used EBP for its own purposes);
//   - a program using '@' (stack alignment) is anchored at EBP + 4 instead, the one value that
//     survived the alignment.
// The caller must come out above the callee's stack pointer and its return address must be
// in a module, else the strategy declines and the frame-pointer chain and the scan get their
// turn.
import { runPostfixProgram, type PostfixMachine } from '../breakpad-sym/postfix.ts';
import type { X86FrameInfo } from '../symbols/symbol-file.ts';
import { checkReturnAddress } from './scan.ts';
import { readPointer } from './stack-memory.ts';
import type { UnwindEnv, UnwoundFrame, X86Registers } from './types.ts';
import type { CallerResult, Strategy } from './walker.ts';

/** Words above .raSearchStart looked at for a return address (Breakpad's quadword alignment allowance). */
const RA_SEARCH_WORDS = 3;

/** Parameters the frame's own function pushed for the callee below it (its record's .cbParams), by registers object. */
const calleeParams = new WeakMap<object, number>();

const FPO_PROGRAM = '$eip .raSearchStart ^ = $esp .raSearchStart 4 + =';
const FPO_WITH_BASE_POINTER_PROGRAM = '$eip .raSearchStart ^ = $ebp $esp .cbCalleeParams + .cbSavedRegs + 8 - ^ = $esp .raSearchStart 4 + =';

/** The frame info covering the code a frame stands in, and where that is. */
export async function frameInfoOf(frame: UnwoundFrame<X86Registers>, env: UnwindEnv): Promise<X86FrameInfo | null> {
  // A return address belongs to the call before it; frame 0 stands at the instruction itself.
  const at = frame.index === 0 ? frame.ip : frame.ip - 1n;
  const module = env.moduleAt(at);
  const symbols = module?.symbols ? await module.symbols() : null;
  if (!module || !symbols) return null;
  return symbols.x86FrameInfo(Number(at - module.base));
}

async function seemsReturnAddress(value: bigint, env: UnwindEnv): Promise<boolean> {
  // As on the EBP chain: a module whose code the dump lacks cannot be checked, and is taken;
  // a call-site check that fails, or no module at all, rejects it.
  return (await checkReturnAddress(value, env, 'x86')) !== 'rejected';
}

export const getCallerByFrameData: Strategy<X86Registers> = async (callee, env): Promise<CallerResult<X86Registers>> => {
  const info = await frameInfoOf(callee, env);
  if (!info) return null;
  const regs = callee.registers;
  const params = calleeParams.get(regs) ?? 0;
  let raSearchStart = regs.esp + BigInt(params + info.localsSize + info.savedRegsSize);

  const program = info.program ?? (info.allocatesBasePointer ? FPO_WITH_BASE_POINTER_PROGRAM : FPO_PROGRAM);
  if (program.includes('@') && regs.ebp !== undefined) {
    raSearchStart = regs.ebp + 4n;
  } else {
    const start = raSearchStart;
    let found = await scanNear(raSearchStart, env);
    // An FPO system call stub that has returned leaves the address it returned to on top of the
    // stack (it is frame 0's own EIP): step over it and look again.
    if (found && callee.index === 0 && info.kind === 'fpo' && found.slot === start && found.value === callee.ip) {
      found = await scanNear(start + 4n, env);
    }
    if (found) raSearchStart = found.slot;
  }

  const variables = new Map<string, bigint>([
    ['$eip', regs.eip],
    ['$esp', regs.esp],
    ['.cbCalleeParams', BigInt(params)],
    ['.cbSavedRegs', BigInt(info.savedRegsSize)],
    ['.cbLocals', BigInt(info.localsSize)],
    ['.cbParams', BigInt(info.paramsSize)],
    ['.raSearchStart', raSearchStart],
    ['.raSearch', raSearchStart],
  ]);
  for (const name of ['ebp', 'ebx', 'esi', 'edi'] as const) {
    const v = regs[name];
    if (v !== undefined) variables.set(`$${name}`, v);
  }
  const machine: PostfixMachine = { bits: 32, readWord: (address) => readPointer(env.memory, address, 4) };
  const result = await runPostfixProgram(program, variables, machine);
  if (!result.ok) return null;
  const eip = result.value.get('$eip');
  const esp = result.value.get('$esp');
  if (eip === undefined || esp === undefined) return null;
  // The callee's function keeps no frame pointer when its return address is found from ESP
  // (FPO, or a FRAMEDATA program built on .raSearch) rather than from EBP. Recorded on the
  // callee, which the walk has already placed.
  if (/\.raSearch/.test(program)) callee.fpo = true;
  const ebp = result.value.get('$ebp') ?? regs.ebp;
  // Both zero: the program walked off the thread's first frame.
  if (eip === 0n && (ebp ?? 0n) === 0n) return { kind: 'end' };
  if (!(await seemsReturnAddress(eip, env))) return null;

  const registers: X86Registers = { eip, esp };
  if (ebp !== undefined) registers.ebp = ebp;
  // Callee-saved registers: what the program restored, else what the callee left (it kept them).
  for (const name of ['ebx', 'esi', 'edi'] as const) {
    const v = result.value.get(`$${name}`) ?? regs[name];
    if (v !== undefined) registers[name] = v;
  }
  calleeParams.set(registers, info.paramsSize);
  return { kind: 'frame', frame: { ip: eip, sp: esp, trust: 'frame-data', registers } };
};

/** The first of RA_SEARCH_WORDS + 1 words at `start` that looks like a return address. */
async function scanNear(start: bigint, env: UnwindEnv): Promise<{ slot: bigint; value: bigint } | null> {
  for (let k = 0; k <= RA_SEARCH_WORDS; k++) {
    const slot = start + BigInt(4 * k);
    const value = await readPointer(env.memory, slot, 4);
    if (value === null) return null;
    if (value !== 0n && (await seemsReturnAddress(value, env))) return { slot, value };
  }
  return null;
}
