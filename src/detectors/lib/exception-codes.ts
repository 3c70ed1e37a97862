// The exception codes detectors test for, and the one place that turns the model's exception
// into "what was attempted at which address". Windows codes are NTSTATUS values; a Linux or
// Android minidump (Breakpad, Crashpad) stores the signal number in the same field, so a code
// only means something together with the platform it came from.
import type { DumpModel, ExceptionRecord, Frame } from '../../engine/core/dump-model.ts';
import type { Confidence } from '../../engine/report/schema.ts';
import { big } from '../../engine/core/hex.ts';
import { faultingThread } from './model-queries.ts';
import { archBits } from '../../engine/core/arch.ts';
import { frameText, shortSourceText } from '../../engine/core/frame-text.ts';
import { ModuleRanges } from './module-ranges.ts';

export const STATUS = {
  BREAKPOINT: 0x80000003,
  SINGLE_STEP: 0x80000004,
  ACCESS_VIOLATION: 0xc0000005,
  IN_PAGE_ERROR: 0xc0000006,
  INVALID_HANDLE: 0xc0000008,
  NONCONTINUABLE_EXCEPTION: 0xc0000025,
  INVALID_DISPOSITION: 0xc0000026,
  ILLEGAL_INSTRUCTION: 0xc000001d,
  FLOAT_DIVIDE_BY_ZERO: 0xc000008e,
  INTEGER_DIVIDE_BY_ZERO: 0xc0000094,
  PRIVILEGED_INSTRUCTION: 0xc0000096,
  STACK_OVERFLOW: 0xc00000fd,
  HANDLE_NOT_CLOSABLE: 0xc0000235,
  HEAP_CORRUPTION: 0xc0000374,
  STACK_BUFFER_OVERRUN: 0xc0000409,
  INVALID_CRUNTIME_PARAMETER: 0xc0000417,
  ASSERTION_FAILURE: 0xc0000420,
  FAIL_FAST_EXCEPTION: 0xc0000602,
  FATAL_APP_EXIT: 0x40000015,
  WX86_BREAKPOINT: 0x4000001f,
  /** Microsoft C++ EH: 0xe0000000 | 'msc'. */
  CPP_EH_EXCEPTION: 0xe06d7363,
  /** GCC's (MinGW-w64) C++ throw on Windows SEH targets: 'GCC ' read as a little-endian number. */
  GCC_THROW: 0x20474343,
} as const;

/** POSIX signal numbers as Breakpad and Crashpad store them for Linux and Android. */
export const SIGNAL = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGSEGV: 11 } as const;

/**
 * Windows keeps the first 64 KiB of every address space reserved and never mapped (and Linux's
 * default mmap_min_addr is the same), so any access below it is a NULL pointer plus a small
 * offset: a field of a structure reached through a NULL pointer.
 */
export const NULL_REGION_END = 0x10000n;

/** The exception code as a number, or null when the input has no exception. */
export function exceptionCode(model: DumpModel): number | null {
  const e = model.exception;
  return e ? Number.parseInt(e.code.slice(2), 16) >>> 0 : null;
}

/** True when the input's codes are POSIX signals rather than NTSTATUS values. */
export function usesSignals(model: DumpModel): boolean {
  return model.system.platform === 'linux' || model.system.platform === 'android';
}

/** The signal number of a Linux/Android dump's exception, or null. */
export function signalOf(model: DumpModel): number | null {
  return usesSignals(model) ? exceptionCode(model) : null;
}

/**
 * The Windows exception code, or null for other platforms and inputs without one. "unknown"
 * counts as Windows: a debugger log that never names its OS is a WinDbg/CDB log.
 */
export function windowsCode(model: DumpModel): number | null {
  const p = model.system.platform;
  return p === 'windows' || p === 'unknown' ? exceptionCode(model) : null;
}

export interface FaultAccess {
  kind: 'read' | 'write' | 'execute' | 'unknown';
  /** The address the thread tried to touch. */
  address: bigint;
  /** The instruction pointer at the fault, when the input tells it. */
  instruction: bigint | null;
  /** How the access was learnt: the Windows access-violation parameters, or a signal's fault address. */
  source: 'exception-record' | 'signal';
}

export interface FaultSite {
  threadId: number;
  view: 'native' | 'x86';
  frame: Frame;
}

/**
 * The frame at the faulting instruction. For Windows that is the frame whose address is the
 * exception address — frame 0 when the stack was walked from the exception context (a minidump,
 * `.ecxr; k`), deeper when the log shows the thread's own stack at dump time (`~*k`: the
 * dispatcher and the dump writer sit above it). For a signal it is frame 0 of the context.
 */
export function faultSite(model: DumpModel): FaultSite | null {
  const t = faultingThread(model);
  if (!t) return null;
  const e = model.exception;
  if (e && e.address !== null && !usesSignals(model)) {
    const a = big(e.address);
    const views: ['native' | 'x86', readonly Frame[]][] = [['native', t.frames], ['x86', t.x86Frames ?? []]];
    for (const [view, frames] of views) {
      const f = frames.find((x) => big(x.address) === a);
      if (f) return { threadId: t.id, view, frame: f };
    }
  }
  const f0 = t.frames[0];
  if (!f0 || f0.index !== 0) return null;
  // A stack walked from the thread's own context only starts at the fault when that context
  // is the exception's (signals; minidumps whose reader used the exception context).
  if (e && !usesSignals(model) && f0.trust !== 'context') return null;
  return { threadId: t.id, view: 'native', frame: f0 };
}

/** The frame at the faulting instruction (see faultSite). */
export function faultingFrame(model: DumpModel): Frame | undefined {
  return faultSite(model)?.frame;
}

/** Where the fault happened, as text: the frame, else the exception record's module!symbol, else the address. */
export function faultPlace(model: DumpModel): string | null {
  const f = faultingFrame(model);
  // With symbols the place has a line too: "app!store_total (order.c:17)".
  if (f) return f.source ? `${frameText(f)} (${shortSourceText(f.source)})` : frameText(f);
  const e = model.exception;
  if (!e) return null;
  const where = e.module ? frameText({ address: e.address ?? '0x0', module: e.module, symbol: e.symbol, offset: null }) : null;
  if (e.address === null) return where;
  return where ? `${where} (${e.address})` : e.address;
}

const AV_KINDS: Record<string, FaultAccess['kind']> = { '0': 'read', '1': 'write', '8': 'execute' };

/**
 * What the faulting instruction tried to do, for an access violation (or an in-page error) on
 * Windows and a SIGSEGV/SIGBUS elsewhere. Null for any other exception.
 */
export function faultAccess(model: DumpModel): FaultAccess | null {
  const e = model.exception;
  if (!e) return null;
  const code = exceptionCode(model);
  if (usesSignals(model)) {
    if (code !== SIGNAL.SIGSEGV && code !== SIGNAL.SIGBUS) return null;
    // Breakpad stores si_addr, the address that faulted, as the "exception address"; the
    // instruction pointer is the context's, i.e. frame 0.
    const frame0 = faultingThread(model)?.frames[0];
    const at = e.access?.address ?? e.address;
    if (at === null) return null;
    const address = big(at);
    const instruction = frame0 ? big(frame0.address) : null;
    const kind = e.access && e.access.kind !== 'unknown' ? e.access.kind : instruction !== null && instruction === address ? 'execute' : 'unknown';
    return { kind, address, instruction, source: 'signal' };
  }
  if (windowsCode(model) === null) return null;
  if (code !== STATUS.ACCESS_VIOLATION && code !== STATUS.IN_PAGE_ERROR) return null;
  // A 32-bit process has 32-bit addresses; some writers leave junk in the upper half of the
  // 64-bit fields (Breakpad's own tests carry such a dump).
  const width = archBits(model.system.arch) === 32 ? 0xffffffffn : 0xffffffffffffffffn;
  const instruction = e.address === null ? null : big(e.address) & width;
  if (e.access) return { kind: e.access.kind, address: big(e.access.address) & width, instruction, source: 'exception-record' };
  // A reader that did not decode the parameters: ExceptionInformation[0] is the access type,
  // [1] the address (winnt.h EXCEPTION_RECORD documentation).
  const [type, addr] = e.parameters;
  if (type === undefined || addr === undefined) return null;
  return { kind: AV_KINDS[big(type).toString()] ?? 'unknown', address: big(addr) & width, instruction, source: 'exception-record' };
}

/**
 * On x64 the CPU raises a general-protection fault, not a page fault, for a non-canonical
 * address, and Windows then reports the access address as all ones: the real address is only
 * in the faulting instruction's operands.
 */
export function isUnknownNonCanonical(model: DumpModel, access: FaultAccess): boolean {
  return archBits(model.system.arch) === 64 && access.address === 0xffffffffffffffffn;
}

/** The module that holds `address`, by name, or null (the first in the list, as a scan finds it). */
export function moduleAt(model: DumpModel, address: bigint): string | null {
  return ModuleRanges.of(model.modules).at(address)?.name ?? null;
}

/** "0x…" for a bigint address, as the model spells addresses. */
export { hex as addr } from '../../engine/core/hex.ts';

/** FAST_FAIL_* codes (winnt.h), the first parameter of a fail-fast exception. */
const FAST_FAIL_NAMES: Record<number, string> = {
  0: 'FAST_FAIL_LEGACY_GS_VIOLATION',
  1: 'FAST_FAIL_VTGUARD_CHECK_FAILURE',
  2: 'FAST_FAIL_STACK_COOKIE_CHECK_FAILURE',
  3: 'FAST_FAIL_CORRUPT_LIST_ENTRY',
  4: 'FAST_FAIL_INCORRECT_STACK',
  5: 'FAST_FAIL_INVALID_ARG',
  6: 'FAST_FAIL_GS_COOKIE_INIT',
  7: 'FAST_FAIL_FATAL_APP_EXIT',
  8: 'FAST_FAIL_RANGE_CHECK_FAILURE',
  9: 'FAST_FAIL_UNSAFE_REGISTRY_ACCESS',
  10: 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE',
  11: 'FAST_FAIL_GUARD_WRITE_CHECK_FAILURE',
  12: 'FAST_FAIL_INVALID_FIBER_SWITCH',
  13: 'FAST_FAIL_INVALID_SET_OF_CONTEXT',
  14: 'FAST_FAIL_INVALID_REFERENCE_COUNT',
  18: 'FAST_FAIL_INVALID_JUMP_BUFFER',
  19: 'FAST_FAIL_MRDATA_MODIFIED',
  20: 'FAST_FAIL_CERTIFICATION_FAILURE',
  21: 'FAST_FAIL_INVALID_EXCEPTION_CHAIN',
  22: 'FAST_FAIL_CRYPTO_LIBRARY',
  23: 'FAST_FAIL_INVALID_CALL_IN_DLL_CALLOUT',
  24: 'FAST_FAIL_INVALID_IMAGE_BASE',
  25: 'FAST_FAIL_DLOAD_PROTECTION_FAILURE',
  26: 'FAST_FAIL_UNSAFE_EXTENSION_CALL',
  27: 'FAST_FAIL_DEPRECATED_SERVICE_INVOKED',
  28: 'FAST_FAIL_INVALID_BUFFER_ACCESS',
  29: 'FAST_FAIL_INVALID_BALANCED_TREE',
  30: 'FAST_FAIL_INVALID_NEXT_THREAD',
  31: 'FAST_FAIL_GUARD_ICALL_CHECK_SUPPRESSED',
  32: 'FAST_FAIL_APCS_DISABLED',
  33: 'FAST_FAIL_INVALID_IDLE_STATE',
  34: 'FAST_FAIL_MRDATA_PROTECTION_FAILURE',
  35: 'FAST_FAIL_UNEXPECTED_HEAP_EXCEPTION',
  36: 'FAST_FAIL_INVALID_LOCK_STATE',
  37: 'FAST_FAIL_GUARD_JUMPTABLE',
  38: 'FAST_FAIL_INVALID_LONGJUMP_TARGET',
  39: 'FAST_FAIL_INVALID_DISPATCH_CONTEXT',
  40: 'FAST_FAIL_INVALID_THREAD',
  41: 'FAST_FAIL_INVALID_SYSCALL_NUMBER',
  42: 'FAST_FAIL_INVALID_FILE_OPERATION',
  43: 'FAST_FAIL_LPAC_ACCESS_DENIED',
  44: 'FAST_FAIL_GUARD_SS_FAILURE',
  45: 'FAST_FAIL_LOADER_CONTINUITY_FAILURE',
  46: 'FAST_FAIL_GUARD_EXPORT_SUPPRESSION_FAILURE',
  47: 'FAST_FAIL_INVALID_CONTROL_STACK',
  48: 'FAST_FAIL_SET_CONTEXT_DENIED',
  49: 'FAST_FAIL_INVALID_IAT',
  50: 'FAST_FAIL_HEAP_METADATA_CORRUPTION',
  51: 'FAST_FAIL_PAYLOAD_RESTRICTION_VIOLATION',
  52: 'FAST_FAIL_LOW_LABEL_ACCESS_DENIED',
  53: 'FAST_FAIL_ENCLAVE_CALL_FAILURE',
  54: 'FAST_FAIL_UNHANDLED_LSS_EXCEPTON',
  55: 'FAST_FAIL_ADMINLESS_ACCESS_DENIED',
  56: 'FAST_FAIL_UNEXPECTED_CALL',
  57: 'FAST_FAIL_CONTROL_INVALID_RETURN_ADDRESS',
  58: 'FAST_FAIL_UNEXPECTED_HOST_BEHAVIOR',
  59: 'FAST_FAIL_FLAGS_CORRUPTION',
  60: 'FAST_FAIL_VEH_CORRUPTION',
  61: 'FAST_FAIL_ETW_CORRUPTION',
  62: 'FAST_FAIL_RIO_ABORT',
  63: 'FAST_FAIL_INVALID_PFN',
  64: 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE_XFG',
  65: 'FAST_FAIL_CAST_GUARD',
  66: 'FAST_FAIL_HOST_VISIBILITY_CHANGE',
  67: 'FAST_FAIL_KERNEL_CET_SHADOW_STACK_ASSIST',
  68: 'FAST_FAIL_PATCH_CALLBACK_FAILED',
  69: 'FAST_FAIL_NTDLL_PATCH_FAILED',
  70: 'FAST_FAIL_INVALID_FLS_DATA',
};

/** Fail-fast codes that mean the heap manager found its own structures damaged. */
export const HEAP_FAST_FAIL_CODES: ReadonlySet<number> = new Set([50, 35]);

/**
 * The FAST_FAIL_* sub-code of a fail-fast (0xc0000409) exception: its first parameter. Old
 * /GS reports used the same code with no parameter, which is a stack cookie failure.
 */
export function fastFailCode(e: ExceptionRecord): { code: number; name: string } | null {
  const p = e.parameters[0];
  if (p === undefined) return null;
  const code = Number(big(p) & 0xffffffffn);
  return { code, name: FAST_FAIL_NAMES[code] ?? `fail-fast code ${code}` };
}

/** Frames of a stop a debugger caused: the remote thread it injects to break in, or the loader's initial breakpoint. */
const DEBUGGER_BREAK_FRAMES = new Set(['DbgUiRemoteBreakin', 'LdrpDoDebuggerBreak', 'LdrpInitialBreakpoint']);
/** Where every thread starts: frames below a break-in that say nothing of who asked for it. */
const THREAD_START_FRAMES = new Set(['BaseThreadInitThunk', 'RtlUserThreadStart', '_RtlUserThreadStart', '__RtlUserThreadStart', 'BaseThreadStart', 'RtlUserThreadStart@8']);
/**
 * The heap manager's and Application Verifier's own breaks: how they report heap damage or
 * misuse to a debugger (RtlpBreakPointHeap after "HEAP[app.exe]: …", DbgBreakPoint under
 * VerifierStopMessage after "VERIFIER STOP …").
 */
const HEAP_BREAK_FRAMES = new Set([
  'RtlpBreakPointHeap', 'RtlpValidateHeapEntry', 'RtlpValidateHeap', 'RtlValidateHeap', 'RtlDebugFreeHeap', 'RtlDebugAllocateHeap',
  'RtlDebugReAllocateHeap', 'RtlDebugSizeHeap', 'RtlpCheckBusyBlockTail', 'RtlpDphReportCorruptedBlock', 'RtlpDphCheckFillPattern',
  'AVrfpDphReportCorruptedBlock', 'AVrfpDphCheckNormalHeapBlock', 'VerifierStopMessage', 'VerifierStopMessageEx', 'RtlApplicationVerifierStop',
]);

function isBreakCode(model: DumpModel): boolean {
  const code = windowsCode(model);
  return code === STATUS.BREAKPOINT || code === STATUS.WX86_BREAKPOINT;
}

function faultingFrames(model: DumpModel): Frame[] {
  const t = faultingThread(model);
  return [...(t?.x86Frames ?? []), ...(t?.frames ?? [])];
}

/**
 * True when the stored breakpoint is the heap manager's or Application Verifier's report of heap
 * damage (its message printed, or its frames on top of the stack), not the program's own int 3.
 */
export function isHeapBreak(model: DumpModel): boolean {
  if (!isBreakCode(model)) return false;
  if (model.annotations['HEAP_ERROR'] || model.annotations['VERIFIER_STOP']) return true;
  if (model.exception?.symbol && HEAP_BREAK_FRAMES.has(model.exception.symbol)) return true;
  return faultingFrames(model).some((f) => f.index <= 4 && f.symbol !== null && HEAP_BREAK_FRAMES.has(f.symbol));
}

/**
 * True when the stored exception is a breakpoint a debugger caused to stop the process (how a
 * dump is taken by hand with WinDbg's .dump or cdb), rather than one the program executed: the
 * thread it injects (DbgUiRemoteBreakin), the loader's initial breakpoint, or a thread that is in
 * DbgBreakPoint and nothing else (a break-in whose paste kept only its top frame).
 */
export function isDebuggerBreakIn(model: DumpModel): boolean {
  if (!isBreakCode(model) || isHeapBreak(model)) return false;
  const frames = faultingFrames(model);
  if (frames.some((f) => f.symbol !== null && DEBUGGER_BREAK_FRAMES.has(f.symbol))) return true;
  const own = frames.filter((f) => !(f.symbol !== null && THREAD_START_FRAMES.has(f.symbol)));
  if (own.length === 0) return model.exception?.symbol === 'DbgBreakPoint' || model.exception?.symbol === 'DbgUserBreakPoint';
  return own.every((f) => f.symbol === 'DbgBreakPoint');
}

/**
 * The address the CPU failed to execute, when the fault was an instruction fetch: DEP says
 * "execute", or (x86 without DEP, Linux signals) the faulting address is the instruction
 * pointer itself. Null for a data access.
 */
export function executedAt(access: FaultAccess): bigint | null {
  if (access.kind === 'execute') return access.address;
  if (access.instruction !== null && access.instruction === access.address) return access.address;
  return null;
}

/**
 * The most a finding resting on the stored exception may claim. An exception the debugger saw
 * only at first chance may yet have been handled (the CLR turns NULL accesses into
 * NullReferenceException, SEH probes memory, a C++ catch takes a throw), and one the reader
 * inferred from an instruction was never stated at all: either is at most "likely".
 */
export function exceptionConfidence(model: DumpModel, wanted: Confidence): Confidence {
  const e = model.exception;
  if (wanted === 'certain' && e && (e.chance === 'first' || e.inferred === true)) return 'likely';
  return wanted;
}

/** True when the input proves no handler took the exception: second chance, or the unhandled-exception filter on its thread. */
export function provedUnhandled(model: DumpModel): boolean {
  return model.exception?.chance === 'second';
}
