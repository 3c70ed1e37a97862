// Illegal Instruction: the CPU met an instruction it cannot or may not execute: one it does not
// decode (STATUS_ILLEGAL_INSTRUCTION; SIGILL on Linux) or one reserved to the kernel
// (STATUS_PRIVILEGED_INSTRUCTION). The bytes at the faulting address, when the dump holds them
// (model.faultBytes), tell the usual causes apart: ud2, the compiler's trap for code it was told
// cannot be reached; an AVX or AVX-512 instruction on a CPU without that extension; a kernel-mode
// instruction in user code. Garbage run as code ends here too: when the instruction lies outside
// every module, Wild Code Pointer says so beside this finding.
import type { DumpModel } from '../engine/core/dump-model.ts';
import { faultingThread } from './lib/model-queries.ts';
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { exceptionConfidence, faultPlace, SIGNAL, signalOf, STATUS, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultSiteEvidence } from './lib/exception-evidence.ts';

// Legacy prefixes (operand and address size, segment, lock, rep) may stand before any opcode.
const PREFIX = new Set([0x66, 0x67, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0xf0, 0xf2, 0xf3]);

/** One-byte opcodes that only ring 0 may run (or that fault in user mode with I/O privilege 0, as Windows sets it). */
const PRIVILEGED_ONE: ReadonlyMap<number, string> = new Map([
  [0xf4, 'hlt'],
  [0xfa, 'cli'],
  [0xfb, 'sti'],
  [0xe4, 'in'],
  [0xe5, 'in'],
  [0xec, 'in'],
  [0xed, 'in'],
  [0xe6, 'out'],
  [0xe7, 'out'],
  [0xee, 'out'],
  [0xef, 'out'],
  [0x6c, 'ins'],
  [0x6d, 'ins'],
  [0x6e, 'outs'],
  [0x6f, 'outs'],
]);

/** Two-byte (0f xx) opcodes that only ring 0 may run. */
const PRIVILEGED_TWO: ReadonlyMap<number, string> = new Map([
  [0x01, 'a descriptor-table or system instruction (0f 01: lgdt, lidt, …)'],
  [0x06, 'clts'],
  [0x08, 'invd'],
  [0x09, 'wbinvd'],
  [0x20, 'mov from a control register'],
  [0x22, 'mov to a control register'],
  [0x21, 'mov from a debug register'],
  [0x23, 'mov to a debug register'],
  [0x30, 'wrmsr'],
  [0x32, 'rdmsr'],
]);

type Decoded =
  | { kind: 'trap'; instruction: string }
  | { kind: 'vector'; extension: string }
  | { kind: 'privileged'; instruction: string }
  | { kind: 'unknown' };

/** What the bytes at the faulting address are, as far as the cause of this fault goes. */
function decode(code: string, longMode: boolean): Decoded {
  const bytes = (code.match(/../g) ?? []).map((h) => parseInt(h, 16));
  let at = 0;
  while (at < bytes.length && PREFIX.has(bytes[at]!)) at++;
  // A REX prefix (64-bit code only) comes last, right before the opcode.
  if (longMode && (bytes[at]! & 0xf0) === 0x40) at++;
  const op = bytes[at];
  const next = bytes[at + 1];
  if (op === undefined) return { kind: 'unknown' };
  if (op === 0x0f && next === 0x0b) return { kind: 'trap', instruction: 'ud2' };
  if (op === 0x0f && next === 0xb9) return { kind: 'trap', instruction: 'ud1' };
  if (op === 0x0f && next === 0xff) return { kind: 'trap', instruction: 'ud0' };
  // In 64-bit code c4/c5 always start a VEX instruction (AVX, AVX2, FMA…) and 62 an EVEX one
  // (AVX-512); in 32-bit code the same bytes may be LES, LDS or BOUND.
  if (longMode && (op === 0xc4 || op === 0xc5)) return { kind: 'vector', extension: 'AVX (VEX-encoded)' };
  if (longMode && op === 0x62) return { kind: 'vector', extension: 'AVX-512 (EVEX-encoded)' };
  const one = PRIVILEGED_ONE.get(op);
  if (one) return { kind: 'privileged', instruction: one };
  const two = op === 0x0f && next !== undefined ? PRIVILEGED_TWO.get(next) : undefined;
  if (two) return { kind: 'privileged', instruction: two };
  return { kind: 'unknown' };
}

/** "0f 0b 5d c3": the first bytes at the faulting address, for a reader with a disassembler. */
function spaced(code: string): string {
  return (code.slice(0, 8).match(/../g) ?? []).join(' ');
}

/** True when the faulting code ran in 64-bit mode: an x64 dump's own code, not a WOW64 thread's x86 code. */
function longMode(model: DumpModel): boolean {
  if (model.system.arch !== 'amd64') return false;
  return !(model.process.wow64 && (faultingThread(model)?.x86Frames?.length ?? 0) > 0);
}

export default defineDetector({
  id: 'illegal-instruction',
  messages: {
    trap: "{{subject}} executed {{instruction}} at {{at}}: the compiler's trap for code it was told cannot be reached (__builtin_trap, __builtin_unreachable, an exhausted switch, a hardening check) was reached.",
    vector: '{{subject}} executed an {{extension}} instruction at {{at}} that the CPU refused: the code was built for an instruction set this machine (or its virtual machine) does not offer.',
    privileged: '{{subject}} executed a kernel-mode instruction ({{instruction}}) at {{at}}: user-mode code may not run it.',
    undecoded: '{{subject}} executed an instruction the CPU cannot decode at {{at}}{{bytes}}.',
    privilegedUnknown: '{{subject}} executed a kernel-mode instruction at {{at}}{{bytes}}: user-mode code may not run it.',
    sigill: '{{subject}} got SIGILL at {{at}}: an instruction the CPU cannot decode or may not run here (or a raise(SIGILL)).',
  },
  detect(model) {
    const e = model.exception;
    if (!e) return [];
    const code = windowsCode(model);
    const illegal = code === STATUS.ILLEGAL_INSTRUCTION;
    const privileged = code === STATUS.PRIVILEGED_INSTRUCTION;
    const sigill = !illegal && !privileged && signalOf(model) === SIGNAL.SIGILL;
    if (!illegal && !privileged && !sigill) return [];

    const subject = exceptionSubject(model);
    const at = faultPlace(model) ?? 'an unknown address';
    const evidence: Evidence[] = [
      ...exceptionEvidence(model, e.name ?? e.code, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID']),
      ...faultSiteEvidence(model, 'the instruction the CPU refused'),
    ];
    // A signal number says less than a Windows status: raise(SIGILL) sends it too.
    if (sigill) return [{ confidence: 'likely', messageId: 'sigill', data: { subject, at }, evidence }];

    const confidence = exceptionConfidence(model, 'certain');
    const bytes = model.faultBytes?.code ?? null;
    if (bytes === null) {
      return [{ confidence, messageId: privileged ? 'privilegedUnknown' : 'undecoded', data: { subject, at, bytes: '' }, evidence }];
    }
    evidence.push({ kind: 'field', path: 'faultBytes', note: 'the bytes at the faulting address' });
    // The opcode tables are x86's: other CPUs' bytes are only shown. An unknown CPU is a paste
    // whose reader kept the bytes only when they could not be an ARM64 word (model-assembly.ts).
    const x86 = model.system.arch === 'x86' || model.system.arch === 'amd64' || model.system.arch === 'unknown';
    const decoded: Decoded = x86 ? decode(bytes, longMode(model)) : { kind: 'unknown' };
    if (decoded.kind === 'trap' && illegal) return [{ confidence, messageId: 'trap', data: { subject, instruction: decoded.instruction, at }, evidence }];
    if (decoded.kind === 'vector' && illegal) return [{ confidence, messageId: 'vector', data: { subject, extension: decoded.extension, at }, evidence }];
    if (decoded.kind === 'privileged' && privileged) return [{ confidence, messageId: 'privileged', data: { subject, instruction: decoded.instruction, at }, evidence }];
    const shown = ` (bytes ${spaced(bytes)})`;
    return [{ confidence, messageId: privileged ? 'privilegedUnknown' : 'undecoded', data: { subject, at, bytes: shown }, evidence }];
  },
});
