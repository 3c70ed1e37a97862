// The exception stream as the model's exception record: code named and explained, the access
// an access violation attempted decoded from its parameters.
//
// The stream means different things by platform. Windows writes the EXCEPTION_RECORD. Breakpad
// and Crashpad on Linux put the signal number in the code, si_code in the flags and si_addr in
// the address; Crashpad on macOS/iOS puts the Mach exception type in the code, code[0] in the
// flags and code[1] (the fault address for EXC_BAD_ACCESS) in the address. The model's
// `address` is always the instruction, as on Windows: the caller replaces the POSIX value with
// the context's PC and this module keeps the fault address in `access`.
import type { MinidumpException } from '../../minidump/exception.ts';
import { describeCode } from '../../names/exception-codes.ts';
import { code32, hex } from '../../core/hex.ts';
import type { ExceptionRecord, Platform } from '../../core/dump-model.ts';

const ACCESS_VIOLATION = 0xc0000005;
const IN_PAGE_ERROR = 0xc0000006;
const ACCESS_KINDS = { 0: 'read', 1: 'write', 8: 'execute' } as const;

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
  10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 31: 'SIGSYS',
};
// Signals whose si_addr is the address of the faulting memory access; for the others it is the
// instruction (SIGILL, SIGFPE) or not an address at all (SIGABRT from kill/raise holds pid and uid).
const MEMORY_SIGNALS = new Set([7, 11]);

const MACH_EXCEPTIONS: Record<number, string> = {
  1: 'EXC_BAD_ACCESS', 2: 'EXC_BAD_INSTRUCTION', 3: 'EXC_ARITHMETIC', 4: 'EXC_EMULATION', 5: 'EXC_SOFTWARE',
  6: 'EXC_BREAKPOINT', 7: 'EXC_SYSCALL', 8: 'EXC_MACH_SYSCALL', 9: 'EXC_RPC_ALERT', 10: 'EXC_CRASH',
  11: 'EXC_RESOURCE', 12: 'EXC_GUARD', 13: 'EXC_CORPSE_NOTIFY',
};
const EXC_BAD_ACCESS = 1;

/** Codes the dump writers use for a dump taken on request rather than by a crash. */
export const DUMP_REQUESTED_CODES: Record<number, string> = {
  0xffffffff: 'DUMP_REQUESTED', // Breakpad on Linux (MD_EXCEPTION_CODE_LIN_DUMP_REQUESTED)
  0x43507378: 'SIMULATED', // Crashpad 'CPsx': a dump requested without an exception
  0x517a7ed: 'SIMULATED', // Crashpad on Windows
};
// Crashpad's 'CPnx': an Objective-C exception nobody caught.
const UNCAUGHT_NSEXCEPTION = 0x43506e78;

export function isDumpRequested(code: number): boolean {
  return code in DUMP_REQUESTED_CODES;
}

function posixMeaning(code: number, platform: Platform): { name: string | null; description: string | null } {
  const requested = DUMP_REQUESTED_CODES[code];
  if (requested) return { name: requested, description: 'the dump was requested; no exception occurred' };
  if (platform === 'macos' || platform === 'ios') {
    if (code === UNCAUGHT_NSEXCEPTION) return { name: 'NSException', description: 'an uncaught Objective-C exception' };
    return { name: MACH_EXCEPTIONS[code] ?? null, description: null };
  }
  return { name: SIGNALS[code] ?? null, description: null };
}

function windowsMeaning(code: number): { name: string | null; description: string | null } {
  const known = describeCode(code);
  const requested = DUMP_REQUESTED_CODES[code];
  return known.name === null && requested ? { name: requested, description: 'the dump was requested; no exception occurred' } : known;
}

/**
 * `bits` is the pointer width of the dumped process: 32-bit writers sign-extend addresses into
 * the stream's 64-bit fields (0x80000000 and above become 0xffffffff8…), which the process never
 * saw, so they are cut back to 32 bits, as Breakpad does.
 */
export function exceptionRecord(ex: MinidumpException, platform: Platform, bits: 32 | 64 | null = null): ExceptionRecord {
  const narrow = (v: bigint): bigint => (bits === 32 ? BigInt.asUintN(32, v) : v);
  const windows = platform === 'windows' || platform === 'unknown';
  const meaning = windows ? windowsMeaning(ex.code) : posixMeaning(ex.code, platform);
  let access: ExceptionRecord['access'] = null;
  if (windows && (ex.code === ACCESS_VIOLATION || ex.code === IN_PAGE_ERROR) && ex.parameters.length >= 2) {
    const kind = ACCESS_KINDS[Number(ex.parameters[0]) as 0 | 1 | 8] ?? 'unknown';
    access = { kind, address: hex(narrow(ex.parameters[1]!)) };
  } else if (!windows) {
    const memoryFault = platform === 'macos' || platform === 'ios' ? ex.code === EXC_BAD_ACCESS : MEMORY_SIGNALS.has(ex.code);
    if (memoryFault) access = { kind: 'unknown', address: hex(narrow(ex.address)) };
  }
  return {
    code: code32(ex.code),
    name: meaning.name,
    description: meaning.description,
    flags: hex(ex.flags),
    address: hex(narrow(ex.address)),
    threadId: ex.threadId,
    parameters: ex.parameters.map((p) => hex(narrow(p))),
    access,
    // A minidump's exception stream does not say whether it was written at first or second
    // chance (procdump -e 1 writes first-chance dumps); the comment may (see the text reader).
    chance: null,
    // The dump holds only the outer record; a nested record's address points into process
    // memory, so only its presence is known here.
    ...(ex.nestedRecord !== 0n ? { nested: [] } : {}),
    module: null,
    symbol: null,
  };
}
