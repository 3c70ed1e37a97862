// Generates src/engine/names/exception-codes.data.ts: the symbolic names of NTSTATUS, Win32 and
// HRESULT codes, read from mingw-w64's public-domain headers, plus one-line descriptions of the
// codes a crash analyst meets most, written for this project (the headers carry no message
// text, and the message tables we could redistribute freely are either missing or worded
// differently from what Windows prints).
//
//   node scripts/gen-exception-codes.ts [include-dir]
//
// include-dir defaults to the first of /usr/x86_64-w64-mingw32/include and
// /usr/share/mingw-w64/include that holds ntstatus.h (Debian: gcc-mingw-w64 / mingw-w64-common).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = new URL('../src/engine/names/exception-codes.data.ts', import.meta.url);

const includeDir =
  process.argv[2] ??
  ['/usr/x86_64-w64-mingw32/include', '/usr/share/mingw-w64/include'].find((d) => existsSync(join(d, 'ntstatus.h')));
if (!includeDir) {
  console.error('mingw-w64 headers not found; pass the include directory');
  process.exit(1);
}

/** name → 32-bit code, first definition wins (later ones are aliases). */
type Table = Map<string, number>;

function parseNtstatus(text: string): Table {
  const out: Table = new Map();
  for (const m of text.matchAll(/^#define\s+([A-Z][A-Z0-9_]+)\s+\(\(NTSTATUS\)\s*(0x[0-9A-Fa-f]+)L?\)/gm)) {
    if (!out.has(m[1]!)) out.set(m[1]!, Number(m[2]!) >>> 0);
  }
  return out;
}

/** winerror.h mixes Win32 codes (decimal, `__MSABI_LONG(n)`), Winsock (`WSABASEERR + n`) and HRESULTs. */
function parseWinerror(text: string): { win32: Table; hresult: Table } {
  const win32: Table = new Map();
  const hresult: Table = new Map();
  const wsaBase = 10000;
  for (const line of text.split('\n')) {
    const m = /^#define\s+([A-Z][A-Z0-9_]+)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const body = m[2]!;
    let value: number | null = null;
    let table = win32;
    let mm: RegExpExecArray | null;
    if ((mm = /^__MSABI_LONG\((0x[0-9A-Fa-f]+|\d+)\)$/.exec(body))) value = Number(mm[1]!);
    else if ((mm = /^\(WSABASEERR\s*\+\s*(\d+)\)$/.exec(body))) value = wsaBase + Number(mm[1]!);
    else if ((mm = /^(?:_HRESULT_TYPEDEF_\(|\(\(HRESULT\)\s*)(0x[0-9A-Fa-f]+)L?\)+$/.exec(body))) {
      value = Number(mm[1]!);
      table = hresult;
    }
    if (value === null || name.startsWith('FACILITY_') || name.startsWith('SEVERITY_')) continue;
    // A few Win32-style defines in winerror.h are really HRESULTs written as long constants.
    if (value >>> 0 >= 0x10000) table = hresult;
    if (!table.has(name)) table.set(name, value >>> 0);
  }
  return { win32, hresult };
}

const nt = parseNtstatus(readFileSync(join(includeDir, 'ntstatus.h'), 'latin1'));
const { win32, hresult } = parseWinerror(readFileSync(join(includeDir, 'winerror.h'), 'latin1'));

// Codes the headers lack (newer than mingw-w64's copy), with names as Windows' own SDK spells them.
const extraNt: Record<string, number> = {
  STATUS_INVALID_EXCEPTION_HANDLER: 0xc00001a5,
  STATUS_STOWED_EXCEPTION: 0xc000027b,
  STATUS_FATAL_USER_CALLBACK_EXCEPTION: 0xc000041d,
  STATUS_ENCLAVE_VIOLATION: 0xc00004a2,
  STATUS_RETURN_ADDRESS_HIJACK_ATTEMPT: 0x80000033,
  STATUS_USER_CALLBACK: 0xc00001ad,
};
for (const [name, code] of Object.entries(extraNt)) if (!nt.has(name)) nt.set(name, code);

// The codes that are not an OS status at all but a convention of a runtime raising them.
const special: Array<{ code: number; kind: 'cpp' | 'clr'; name: string; description: string }> = [
  { code: 0xe06d7363, kind: 'cpp', name: 'EH_EXCEPTION_NUMBER', description: 'C++ exception (Microsoft C++ EH): a C++ `throw` that no handler caught.' },
  { code: 0xe0434352, kind: 'clr', name: 'EXCEPTION_COMPLUS', description: 'Managed (.NET CLR 4 and later) exception; its type and message live in the managed heap.' },
  { code: 0xe0434f4d, kind: 'clr', name: 'EXCEPTION_COMPLUS', description: 'Managed (.NET CLR 1.x–3.5) exception; its type and message live in the managed heap.' },
  { code: 0xe0564552, kind: 'clr', name: 'EXCEPTION_HIJACK', description: 'CLR internal exception used to take over a thread (".NET hijack"); normally handled.' },
  { code: 0x406d1388, kind: 'cpp', name: 'MS_VC_EXCEPTION', description: 'Thread naming notification (the Visual C++ SetThreadName convention); harmless, handled by the debugger.' },
  { code: 0xc06d007e, kind: 'cpp', name: 'VcppException(ERROR_SEVERITY_ERROR, ERROR_MOD_NOT_FOUND)', description: 'Delay-load failure: the delay-loaded DLL could not be found.' },
  { code: 0xc06d007f, kind: 'cpp', name: 'VcppException(ERROR_SEVERITY_ERROR, ERROR_PROC_NOT_FOUND)', description: 'Delay-load failure: the function was not found in the delay-loaded DLL.' },
];

// One-line meanings, in our own words, keyed by the header name. The generator fails on a key
// the headers do not define, so a typo cannot silently drop a description.
const ntDescriptions: Record<string, string> = {
  STATUS_ACCESS_VIOLATION: 'Access violation: the thread read, wrote or executed memory it may not touch.',
  STATUS_IN_PAGE_ERROR: 'In-page error: a page could not be read in from its file or device (I/O failure while paging).',
  STATUS_INVALID_HANDLE: 'An invalid handle was used (closed, never opened, or of the wrong process).',
  STATUS_INVALID_PARAMETER: 'An invalid parameter was passed to a system service or function.',
  STATUS_NO_MEMORY: 'Not enough virtual memory or paging-file quota for the operation.',
  STATUS_ILLEGAL_INSTRUCTION: 'Illegal instruction: the CPU was asked to execute an invalid opcode.',
  STATUS_NONCONTINUABLE_EXCEPTION: 'Execution tried to continue after an exception that forbids it.',
  STATUS_INVALID_DISPOSITION: 'An exception handler returned an invalid disposition to the dispatcher (corrupt handler chain?).',
  STATUS_ARRAY_BOUNDS_EXCEEDED: 'Array bounds exceeded (hardware bounds check).',
  STATUS_FLOAT_DENORMAL_OPERAND: 'Floating-point operand is denormal.',
  STATUS_FLOAT_DIVIDE_BY_ZERO: 'Floating-point division by zero.',
  STATUS_FLOAT_INEXACT_RESULT: 'Floating-point result cannot be represented exactly.',
  STATUS_FLOAT_INVALID_OPERATION: 'Invalid floating-point operation.',
  STATUS_FLOAT_OVERFLOW: 'Floating-point overflow.',
  STATUS_FLOAT_STACK_CHECK: 'x87 floating-point register stack overflowed or underflowed.',
  STATUS_FLOAT_UNDERFLOW: 'Floating-point underflow.',
  STATUS_FLOAT_MULTIPLE_FAULTS: 'Several floating-point faults at once (SIMD).',
  STATUS_FLOAT_MULTIPLE_TRAPS: 'Several floating-point traps at once (SIMD).',
  STATUS_INTEGER_DIVIDE_BY_ZERO: 'Integer division by zero.',
  STATUS_INTEGER_OVERFLOW: 'Integer overflow (signed division overflow or INTO).',
  STATUS_PRIVILEGED_INSTRUCTION: 'A privileged instruction was executed in user mode.',
  STATUS_STACK_OVERFLOW: 'Stack overflow: the thread used up its stack (deep or endless recursion, huge locals).',
  STATUS_DLL_NOT_FOUND: 'A required DLL was not found when the image was loaded.',
  STATUS_ORDINAL_NOT_FOUND: 'An imported ordinal was not found in the DLL.',
  STATUS_ENTRYPOINT_NOT_FOUND: 'An imported function was not found in the DLL.',
  STATUS_DLL_INIT_FAILED: 'A DLL initialization routine (DllMain) failed.',
  STATUS_APP_INIT_FAILURE: 'The application failed to initialize.',
  STATUS_INVALID_IMAGE_FORMAT: 'The image is not a valid executable for this system (wrong bitness or corrupt file).',
  STATUS_CONTROL_C_EXIT: 'The process ended because of Ctrl+C or the console was closed.',
  STATUS_HEAP_CORRUPTION: 'Heap corruption detected by the heap manager (double free, overrun, bad pointer to free).',
  STATUS_STACK_BUFFER_OVERRUN: 'Stack buffer overrun / fail-fast: a security check (/GS cookie or __fastfail) ended the process.',
  STATUS_INVALID_CRUNTIME_PARAMETER: 'The C runtime was passed an invalid parameter and stopped the process.',
  STATUS_ASSERTION_FAILURE: 'An assertion failed (int 2c / __assert).',
  STATUS_FAIL_FAST_EXCEPTION: 'A fail-fast exception ended the process without running handlers.',
  STATUS_GUARD_PAGE_VIOLATION: 'A guard page was touched (normally stack growth; unexpected elsewhere).',
  STATUS_DATATYPE_MISALIGNMENT: 'Misaligned data access on a platform that needs alignment.',
  STATUS_DATATYPE_MISALIGNMENT_ERROR: 'Misaligned data access that could not be fixed up.',
  STATUS_BREAKPOINT: 'A breakpoint was hit (int 3 / DebugBreak) with no debugger to take it.',
  STATUS_SINGLE_STEP: 'Single-step or hardware breakpoint trap.',
  STATUS_WX86_BREAKPOINT: 'A breakpoint in a 32-bit (WOW64) process.',
  STATUS_WX86_SINGLE_STEP: 'Single-step trap in a 32-bit (WOW64) process.',
  STATUS_LONGJUMP: 'A longjmp is unwinding the stack.',
  STATUS_UNWIND_CONSOLIDATE: 'A frame consolidation unwind is in progress (C++ catch or longjmp).',
  STATUS_UNWIND: 'An unwind is in progress.',
  STATUS_BAD_STACK: 'An invalid or misaligned stack was found during an unwind.',
  STATUS_INVALID_UNWIND_TARGET: 'An invalid unwind target was found during an unwind.',
  STATUS_POSSIBLE_DEADLOCK: 'A critical-section wait timed out: possible deadlock.',
  STATUS_RESOURCE_NOT_OWNED: 'A thread released a lock (critical section or resource) it does not own.',
  STATUS_FATAL_APP_EXIT: 'The application requested a fatal exit (FatalAppExit / abort).',
  STATUS_INSUFFICIENT_RESOURCES: 'Insufficient system resources to complete the service.',
  STATUS_COMMITMENT_LIMIT: 'The system commit limit (RAM plus paging file) was reached.',
  STATUS_ACCESS_DENIED: 'Access denied.',
  STATUS_OBJECT_NAME_NOT_FOUND: 'The named object was not found.',
  STATUS_OBJECT_PATH_NOT_FOUND: 'The object path was not found.',
  STATUS_UNSUCCESSFUL: 'The operation failed (unspecified error).',
  STATUS_NOT_IMPLEMENTED: 'The requested operation is not implemented.',
  STATUS_NOT_SUPPORTED: 'The request is not supported.',
  STATUS_BUFFER_OVERFLOW: 'The data was too large for the buffer; part of it was returned.',
  STATUS_BUFFER_TOO_SMALL: 'The buffer is too small for the data.',
  STATUS_INTERNAL_ERROR: 'An internal error occurred.',
  STATUS_CANCELLED: 'The I/O request was cancelled.',
  STATUS_MEMORY_NOT_ALLOCATED: 'An attempt was made to free memory that was not allocated.',
  STATUS_CONFLICTING_ADDRESSES: 'The requested address range conflicts with an existing allocation.',
  STATUS_INVALID_ADDRESS: 'The address is not valid.',
  STATUS_NOT_FOUND: 'The object was not found.',
  STATUS_PROCESS_IS_TERMINATING: 'The process is being terminated.',
  STATUS_THREAD_IS_TERMINATING: 'The thread is being terminated.',
  STATUS_HANDLE_NOT_CLOSABLE: 'A protected handle was closed.',
  STATUS_VERIFIER_STOP: 'Application Verifier found an error in the process.',
  STATUS_CALLBACK_POP_STACK: 'An exception occurred in a user-mode callback and the kernel frame was popped.',
  STATUS_SYSTEM_PROCESS_TERMINATED: 'A critical system process ended unexpectedly.',
  STATUS_INVALID_IMAGE_HASH: 'The image signature or hash is not valid (code integrity).',
  STATUS_ILLEGAL_FLOAT_CONTEXT: 'A floating-point hardware fault in kernel context.',
  STATUS_SXS_EARLY_DEACTIVATION: 'An activation context was deactivated out of order (not the innermost one).',
  STATUS_SXS_INVALID_DEACTIVATION: 'An activation context was deactivated on the wrong thread or twice.',
  STATUS_INVALID_EXCEPTION_HANDLER: 'An exception handler that is not registered for SafeSEH was found on the chain.',
  STATUS_STOWED_EXCEPTION: 'Stowed exception(s) from a Windows Runtime (UWP/WinRT) app; the originals are stored in the exception parameters.',
  STATUS_FATAL_USER_CALLBACK_EXCEPTION: 'An unhandled exception inside a user-mode callback from the kernel (e.g. a window procedure).',
  STATUS_ENCLAVE_VIOLATION: 'An access to enclave memory was not allowed.',
  STATUS_RETURN_ADDRESS_HIJACK_ATTEMPT: 'A return-address hijack was detected (CET shadow stack mismatch).',
  STATUS_USER_CALLBACK: 'An unexpected user-mode callback occurred.',
  STATUS_WAKE_SYSTEM_DEBUGGER: 'A request to wake the system debugger.',
  STATUS_NO_CALLBACK_ACTIVE: 'A callback return was made with no callback active.',
  STATUS_TIMEOUT: 'The wait timed out.',
  STATUS_PENDING: 'The operation is still in progress.',
  DBG_CONTROL_C: 'Ctrl+C was sent to a console process being debugged.',
  DBG_CONTROL_BREAK: 'Ctrl+Break was sent to a console process being debugged.',
  DBG_PRINTEXCEPTION_C: 'Debug output (OutputDebugStringA) sent to a debugger; harmless.',
  DBG_PRINTEXCEPTION_WIDE_C: 'Debug output (OutputDebugStringW) sent to a debugger; harmless.',
  DBG_TERMINATE_THREAD: 'The debugger terminated the thread.',
  DBG_TERMINATE_PROCESS: 'The debugger terminated the process.',
  DBG_RIPEXCEPTION: 'A debugger RIP (system debugging error) event.',
  RPC_NT_SERVER_UNAVAILABLE: 'The RPC server is unavailable.',
  RPC_NT_CALL_FAILED: 'The remote procedure call failed.',
};

const win32Descriptions: Record<string, string> = {
  ERROR_SUCCESS: 'The operation completed successfully.',
  ERROR_INVALID_FUNCTION: 'Incorrect function.',
  ERROR_FILE_NOT_FOUND: 'The file was not found.',
  ERROR_PATH_NOT_FOUND: 'The path was not found.',
  ERROR_TOO_MANY_OPEN_FILES: 'Too many files are open.',
  ERROR_ACCESS_DENIED: 'Access is denied.',
  ERROR_INVALID_HANDLE: 'The handle is invalid.',
  ERROR_NOT_ENOUGH_MEMORY: 'Not enough memory to process this command.',
  ERROR_INVALID_BLOCK: 'The memory control block address is invalid.',
  ERROR_BAD_FORMAT: 'The program has a bad format (wrong bitness or corrupt image).',
  ERROR_INVALID_ACCESS: 'The access code is invalid.',
  ERROR_INVALID_DATA: 'The data is invalid.',
  ERROR_OUTOFMEMORY: 'Not enough memory (storage) to complete the operation.',
  ERROR_NOT_READY: 'The device is not ready.',
  ERROR_WRITE_PROTECT: 'The media is write-protected.',
  ERROR_SHARING_VIOLATION: 'The file is in use by another process (sharing violation).',
  ERROR_LOCK_VIOLATION: 'Part of the file is locked by another process.',
  ERROR_HANDLE_EOF: 'The end of the file was reached.',
  ERROR_NOT_SUPPORTED: 'The request is not supported.',
  ERROR_FILE_EXISTS: 'The file exists.',
  ERROR_INVALID_PARAMETER: 'The parameter is incorrect.',
  ERROR_BROKEN_PIPE: 'The pipe has been ended.',
  ERROR_DISK_FULL: 'There is not enough space on the disk.',
  ERROR_CALL_NOT_IMPLEMENTED: 'This function is not supported on this system.',
  ERROR_SEM_TIMEOUT: 'The semaphore timeout period expired.',
  ERROR_INSUFFICIENT_BUFFER: 'The data area passed to a system call is too small.',
  ERROR_INVALID_NAME: 'The file name, directory name or volume label syntax is incorrect.',
  ERROR_MOD_NOT_FOUND: 'The specified module could not be found.',
  ERROR_PROC_NOT_FOUND: 'The specified procedure could not be found.',
  ERROR_BAD_EXE_FORMAT: 'The file is not a valid application for this OS.',
  ERROR_ALREADY_EXISTS: 'The object already exists.',
  ERROR_ENVVAR_NOT_FOUND: 'The environment variable was not found.',
  ERROR_BAD_PATHNAME: 'The path name is invalid.',
  ERROR_BUSY: 'The resource is in use.',
  ERROR_PIPE_BUSY: 'All pipe instances are busy.',
  ERROR_NO_DATA: 'The pipe is being closed.',
  ERROR_PIPE_NOT_CONNECTED: 'No process is on the other end of the pipe.',
  ERROR_MORE_DATA: 'More data is available.',
  WAIT_TIMEOUT: 'The wait operation timed out.',
  ERROR_NO_MORE_ITEMS: 'No more data is available.',
  ERROR_DIRECTORY: 'The directory name is invalid.',
  ERROR_PARTIAL_COPY: 'Only part of a ReadProcessMemory or WriteProcessMemory request was completed.',
  ERROR_INVALID_ADDRESS: 'The address is invalid.',
  ERROR_ARITHMETIC_OVERFLOW: 'Arithmetic result exceeded 32 bits.',
  ERROR_OPERATION_ABORTED: 'The I/O operation was aborted by a thread exit or an application request.',
  ERROR_IO_INCOMPLETE: 'Overlapped I/O is not in a signaled state.',
  ERROR_IO_PENDING: 'Overlapped I/O operation is in progress.',
  ERROR_NOACCESS: 'Invalid access to a memory location.',
  ERROR_STACK_OVERFLOW: 'Recursion too deep; the stack overflowed.',
  ERROR_CAN_NOT_COMPLETE: 'Cannot complete this function.',
  ERROR_DLL_INIT_FAILED: 'A dynamic link library (DLL) initialization routine failed.',
  ERROR_SERVICE_REQUEST_TIMEOUT: 'The service did not respond to the start or control request in time.',
  ERROR_SERVICE_DOES_NOT_EXIST: 'The service does not exist.',
  ERROR_SERVICE_NOT_ACTIVE: 'The service has not been started.',
  ERROR_EXCEPTION_IN_SERVICE: 'An exception occurred in the service while handling a control request.',
  ERROR_PROCESS_ABORTED: 'The process terminated unexpectedly.',
  ERROR_STACK_BUFFER_OVERRUN: 'The system detected an overrun of a stack-based buffer in this application.',
  ERROR_POSSIBLE_DEADLOCK: 'A potential deadlock condition was detected.',
  ERROR_INVALID_WINDOW_HANDLE: 'The window handle is invalid.',
  ERROR_NOT_FOUND: 'Element not found.',
  ERROR_NO_SYSTEM_RESOURCES: 'Insufficient system resources exist to complete the service.',
  ERROR_NONPAGED_SYSTEM_RESOURCES: 'Insufficient nonpaged pool to complete the service.',
  ERROR_PAGED_SYSTEM_RESOURCES: 'Insufficient paged pool to complete the service.',
  ERROR_WORKING_SET_QUOTA: 'Insufficient working-set quota to complete the service.',
  ERROR_PAGEFILE_QUOTA: 'Insufficient paging-file quota to complete the operation.',
  ERROR_COMMITMENT_LIMIT: 'The paging file is too small for this operation to complete.',
  ERROR_TIMEOUT: 'This operation returned because the timeout period expired.',
  ERROR_INVALID_THREAD_ID: 'The thread identifier is invalid.',
  ERROR_NOT_OWNER: 'Attempt to release a mutex not owned by the caller.',
  ERROR_LOGON_FAILURE: 'The user name or password is incorrect.',
  ERROR_PRIVILEGE_NOT_HELD: 'A required privilege is not held by the client.',
  ERROR_BAD_NETPATH: 'The network path was not found.',
  ERROR_NETNAME_DELETED: 'The network name is no longer available.',
  ERROR_UNEXP_NET_ERR: 'An unexpected network error occurred.',
  ERROR_CONNECTION_REFUSED: 'The remote computer refused the network connection.',
  ERROR_CONNECTION_ABORTED: 'The network connection was aborted by the local system.',
  RPC_S_INVALID_BINDING: 'The RPC binding handle is invalid.',
  RPC_S_SERVER_UNAVAILABLE: 'The RPC server is unavailable.',
  RPC_S_SERVER_TOO_BUSY: 'The RPC server is too busy to complete this operation.',
  RPC_S_UNKNOWN_IF: 'The RPC interface is unknown to the server.',
  RPC_S_CALL_FAILED: 'The remote procedure call failed.',
  RPC_S_CALL_FAILED_DNE: 'The remote procedure call failed and did not execute.',
  RPC_S_PROTOCOL_ERROR: 'An RPC protocol error occurred.',
  RPC_S_CALL_CANCELLED: 'The remote procedure call was cancelled.',
  RPC_S_NO_ENDPOINT_FOUND: 'No RPC endpoint was found.',
  EPT_S_NOT_REGISTERED: 'There are no more endpoints available from the endpoint mapper.',
  RPC_X_BAD_STUB_DATA: 'The RPC stub received bad data.',
  RPC_X_NULL_REF_POINTER: 'A null reference pointer was passed to the RPC stub.',
  RPC_X_SS_IN_NULL_CONTEXT: 'The RPC context handle is null or invalid.',
  RPC_S_OUT_OF_RESOURCES: 'Not enough resources are available to complete this RPC operation.',
  ERROR_INVALID_USER_BUFFER: 'The supplied user buffer is not valid for the requested operation.',
  ERROR_NOT_ENOUGH_QUOTA: 'Not enough quota is available to process this command.',
  ERROR_CANCELLED: 'The operation was cancelled by the user.',
  ERROR_DLL_NOT_FOUND: 'The DLL could not be found.',
  WSAEINTR: 'A blocking Winsock call was interrupted.',
  WSAEACCES: 'Socket access was forbidden by its permissions.',
  WSAEWOULDBLOCK: 'A non-blocking socket operation could not complete immediately.',
  WSAEADDRINUSE: 'The socket address (protocol/address/port) is already in use.',
  WSAENETDOWN: 'The network is down.',
  WSAECONNABORTED: 'The connection was aborted by the software on this host.',
  WSAECONNRESET: 'The connection was reset by the remote host.',
  WSAETIMEDOUT: 'The connection attempt timed out.',
  WSAECONNREFUSED: 'The connection was refused by the target machine.',
  WSANOTINITIALISED: 'WSAStartup has not been called successfully.',
  WSAHOST_NOT_FOUND: 'The host is not known.',
};

const hresultDescriptions: Record<string, string> = {
  E_UNEXPECTED: 'Catastrophic (unexpected) failure.',
  E_NOTIMPL: 'Not implemented.',
  E_NOINTERFACE: 'No such interface supported.',
  E_POINTER: 'Invalid pointer.',
  E_ABORT: 'Operation aborted.',
  E_FAIL: 'Unspecified failure.',
  E_PENDING: 'The data needed to complete the operation is not yet available.',
  CO_E_NOTINITIALIZED: 'CoInitialize has not been called on this thread.',
  RPC_E_CHANGED_MODE: 'The COM apartment mode cannot be changed after it is set.',
  RPC_E_WRONG_THREAD: 'The interface was marshalled for a different thread (COM apartment).',
  RPC_E_DISCONNECTED: 'The object invoked has disconnected from its clients.',
  RPC_E_SERVERFAULT: 'The COM server threw an exception while handling the call.',
  RPC_E_CALL_REJECTED: 'The COM call was rejected by the callee.',
  RPC_E_SERVERCALL_RETRYLATER: 'The COM server is busy; retry later.',
  RPC_E_CANTCALLOUT_ININPUTSYNCCALL: 'An outgoing call cannot be made while dispatching an input-synchronous call.',
  REGDB_E_CLASSNOTREG: 'The COM class is not registered.',
  CLASS_E_NOAGGREGATION: 'The class does not support aggregation.',
  CO_E_SERVER_EXEC_FAILURE: 'The COM server process could not be started.',
  DISP_E_EXCEPTION: 'An exception occurred in an IDispatch call.',
  DISP_E_MEMBERNOTFOUND: 'The IDispatch member was not found.',
  TYPE_E_LIBNOTREGISTERED: 'The type library is not registered.',
  STG_E_FILENOTFOUND: 'The storage file was not found.',
};

function resolve(descs: Record<string, string>, names: Table, where: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, text] of Object.entries(descs)) {
    const code = names.get(name);
    if (code === undefined) throw new Error(`${where}: ${name} is not defined in the headers`);
    out.set(code, text);
  }
  return out;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/**
 * "delta text" lines sorted by code, each code written as its distance from the one before in
 * base 36 (empty for the next code): one string literal compresses far better than an object
 * literal, and the deltas of mostly consecutive codes far better than eight hex digits each.
 */
function deltaLines(entries: [number, string][]): string {
  let previous = 0;
  return entries
    .sort((a, b) => a[0] - b[0])
    .map(([code, text]) => {
      const delta = (code >>> 0) - previous;
      previous = code >>> 0;
      return `${delta === 1 ? '' : delta.toString(36)} ${text}`;
    })
    .join('\n');
}

function nameLines(table: Table): string {
  const byCode = new Map<number, string>();
  for (const [name, code] of table) if (!byCode.has(code)) byCode.set(code, name);
  return deltaLines([...byCode]);
}

function descLines(map: Map<number, string>): string {
  return deltaLines([...map]);
}

// Only codes that can plausibly stand in an exception record or be raised are kept, so the
// table fits the analyzer's script budget: the headers also name thousands of success,
// informational and driver-facility codes no user-mode dump will ever carry.
const severity = (code: number) => code >>> 30;
const facility = (code: number) => (code >>> 16) & 0xfff;
function keep(table: Table, test: (code: number) => boolean): Table {
  return new Map([...table].filter(([, code]) => test(code >>> 0)));
}
/** NTSTATUS warnings and errors of the general, debugger and RPC facilities, plus DBG_* notifications. */
const ntKept = keep(nt, (c) => (severity(c) >= 2 && facility(c) <= 2) || c >>> 16 === 0x4001 || c >>> 16 === 0x0001);
/** Win32 errors below 0x3000: the system, RPC and Winsock ranges. */
const win32Kept = keep(win32, (c) => c < 0x3000);
/** HRESULT failures of the NULL, RPC, DISPATCH, STORAGE and ITF facilities (the COM ones) and the few named WIN32-facility ones (E_ACCESSDENIED…); other 0x8007xxxx are derived from Win32. */
const hresultKept = keep(hresult, (c) => severity(c) >= 2 && (facility(c) <= 4 || facility(c) === 7));

const ntDesc = resolve(ntDescriptions, nt, 'ntstatus');
const winDesc = resolve(win32Descriptions, win32, 'winerror');
const hrDesc = resolve(hresultDescriptions, hresult, 'hresult');

const lit = (s: string) => JSON.stringify(s);
const out = `// GENERATED by scripts/gen-exception-codes.ts — do not edit by hand; re-run the script.
//
// Sources and licences:
// - Symbolic names: mingw-w64 runtime headers ntstatus.h and winerror.h (${includeDir}),
//   which declare themselves public domain ("This file has no copyright assigned and is
//   placed in the Public Domain"), plus a few newer NTSTATUS names listed in the script.
// - Descriptions: written for this project in its own words (MIT, like the rest of it).
//
// Each table is one "delta text" line per code, sorted by code, the code written as its
// distance from the previous one in base 36 (empty for +1), parsed on first use by
// exception-codes.ts. Kept in its own module so a page can import it lazily.

/** NTSTATUS names (STATUS_ACCESS_VIOLATION is 0xc0000005). */
export const NTSTATUS_NAMES = ${lit(nameLines(ntKept))};

/** Win32 error codes (< 0x10000; EPT_S_NOT_REGISTERED is 0x6d9). */
export const WIN32_NAMES = ${lit(nameLines(win32Kept))};

/** HRESULTs defined by name in winerror.h (E_FAIL is 0x80004005). */
export const HRESULT_NAMES = ${lit(nameLines(hresultKept))};

export const NTSTATUS_DESCRIPTIONS = ${lit(descLines(ntDesc))};

export const WIN32_DESCRIPTIONS = ${lit(descLines(winDesc))};

export const HRESULT_DESCRIPTIONS = ${lit(descLines(hrDesc))};

/** Runtime conventions rather than OS statuses: "code kind name<TAB>description". */
export const SPECIAL_CODES = ${lit(special.map((s) => `${hex8(s.code)} ${s.kind} ${s.name}\t${s.description}`).join('\n'))};
`;

writeFileSync(OUT, out);
console.log(
  `wrote ${OUT.pathname}: ${ntKept.size} NTSTATUS, ${win32Kept.size} Win32, ${hresultKept.size} HRESULT names; ` +
    `${ntDesc.size + winDesc.size + hrDesc.size + special.length} descriptions; ${out.length} bytes`,
);
