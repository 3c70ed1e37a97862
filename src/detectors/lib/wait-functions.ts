// What a thread is waiting for, read from the top of its stack. A waiting thread's innermost
// frames are always operating-system code (the system-call stub, the wait API, the lock or RPC
// runtime above it); which functions that run holds tells the kind of wait, and the first frame
// below the run is the code that asked for it. Several patterns ask this (Blocked Threads,
// Deadlock, Coupled Processes, Main Thread), so it is answered here once.
//
// Names are matched without the module, as in exception-frames.ts: the same function moved
// between kernel32, KERNELBASE and ntdll across Windows versions, and WOW64 stacks print the
// 32-bit ntdll as "ntdll_7d600000".
import { big } from '../../engine/core/hex.ts';
import type { Frame, Thread } from '../../engine/core/dump-model.ts';
import type { StackView } from '../../engine/report/schema.ts';
import { threadStacks } from './exception-frames.ts';
import { isSystemFrame } from './system-modules.ts';
import { CRITICAL_SECTION_FUNCTIONS } from '../../engine/names/wait-function-names.ts';

export type WaitKind =
  /** Entering a critical section another thread owns. */
  | 'critical-section'
  /** An SRW lock or a condition variable. */
  | 'lock'
  /** A modal message box or dialog: waiting for a person. */
  | 'user-input'
  /** SendMessage to a window whose thread must answer. */
  | 'send-message'
  /** A synchronous RPC, COM, LPC/ALPC or CSRSS call: waiting for the server's reply. */
  | 'ipc-client'
  /** An RPC/LPC server thread listening for calls (idle). */
  | 'ipc-server'
  /** A message loop with nothing to do (idle). */
  | 'message-loop'
  /** A thread-pool or completion-port worker waiting for work (idle). */
  | 'thread-pool'
  /** Synchronous file, pipe or socket I/O. */
  | 'io'
  | 'sleep'
  /** A wait for an event, mutex, semaphore, process or thread handle. */
  | 'object';

/** Win32 file, pipe and socket calls that block their caller: I/O waits, and blocking calls too. */
const WIN32_IO_CALLS = ['ReadFile', 'WriteFile', 'ConnectNamedPipe', 'recv', 'recvfrom', 'WSARecv', 'WSARecvFrom', 'accept', 'select', 'connect'];

const KINDS: ReadonlyArray<[WaitKind, readonly string[]]> = [
  [
    'critical-section',
    [
      'RtlEnterCriticalSection',
      'RtlpEnterCriticalSectionContended',
      'RtlpWaitOnCriticalSection',
      'RtlpWaitForCriticalSection',
      'EnterCriticalSection',
      'LdrpWaitForLoaderLock',
    ],
  ],
  [
    'lock',
    [
      'RtlAcquireSRWLockExclusive',
      'RtlAcquireSRWLockShared',
      'RtlpAcquireSRWLockExclusiveContended',
      'RtlpAcquireSRWLockSharedContended',
      'AcquireSRWLockExclusive',
      'AcquireSRWLockShared',
      'RtlSleepConditionVariableCS',
      'RtlSleepConditionVariableSRW',
      'SleepConditionVariableCS',
      'SleepConditionVariableSRW',
    ],
  ],
  [
    'user-input',
    [
      'MessageBoxA',
      'MessageBoxW',
      'MessageBoxExA',
      'MessageBoxExW',
      'MessageBoxTimeoutA',
      'MessageBoxTimeoutW',
      'MessageBoxIndirectW',
      'SoftModalMessageBox',
      'DialogBoxParamA',
      'DialogBoxParamW',
      'DialogBoxIndirectParamA',
      'DialogBoxIndirectParamW',
      'DialogBoxIndirectParamAorW',
      'DialogBox2',
      'InternalDialogBox',
    ],
  ],
  ['send-message', ['NtUserMessageCall', 'SendMessageA', 'SendMessageW', 'SendMessageTimeoutA', 'SendMessageTimeoutW', 'SendMessageWorker']],
  [
    'ipc-server',
    [
      'NtReplyWaitReceivePort',
      'ZwReplyWaitReceivePort',
      'NtReplyWaitReceivePortEx',
      'ZwReplyWaitReceivePortEx',
      'LRPC_ADDRESS::ReceiveLotsaCalls',
      'LRPC_ADDRESS::ListenThread',
      'RecvLotsaCallsWrapper',
      'CsrApiRequestThread',
    ],
  ],
  [
    'ipc-client',
    [
      'NtRequestWaitReplyPort',
      'ZwRequestWaitReplyPort',
      'NtAlpcSendWaitReceivePort',
      'ZwAlpcSendWaitReceivePort',
      'NtSecureConnectPort',
      'NtConnectPort',
      'NtAlpcConnectPort',
      'CsrClientCallServer',
      'NdrClientCall',
      'NdrClientCall2',
      'NdrClientCall3',
      'NdrClientCall4',
      'NdrpClientCall2',
      'NdrpClientCall3',
      'NdrSendReceive',
      'I_RpcSendReceive',
      'LRPC_CCALL::SendReceive',
      'LRPC_BASE_CCALL::SendReceive',
      'LRPC_BASE_CCALL::DoSendReceive',
      'OSF_CCALL::SendReceive',
      'CRpcChannelBuffer::SendReceive2',
      'ThreadSendReceive',
      'ModalLoop',
      'CCliModalLoop::BlockFn',
      'ObjectStublessClient',
      'CallNamedPipeA',
      'CallNamedPipeW',
      'TransactNamedPipe',
      'WaitNamedPipeA',
      'WaitNamedPipeW',
    ],
  ],
  [
    'message-loop',
    [
      'NtUserGetMessage',
      'ZwUserGetMessage',
      'whNtUserGetMessage',
      'GetMessageA',
      'GetMessageW',
      'NtUserWaitMessage',
      'WaitMessage',
      'NtUserMsgWaitForMultipleObjectsEx',
      'MsgWaitForMultipleObjects',
      'MsgWaitForMultipleObjectsEx',
      'RealMsgWaitForMultipleObjectsEx',
    ],
  ],
  [
    'thread-pool',
    [
      'NtWaitForWorkViaWorkerFactory',
      'ZwWaitForWorkViaWorkerFactory',
      'NtRemoveIoCompletion',
      'ZwRemoveIoCompletion',
      'NtRemoveIoCompletionEx',
      'ZwRemoveIoCompletionEx',
      'RemoveIoCompletionFault',
      'GetQueuedCompletionStatus',
      'GetQueuedCompletionStatusEx',
      'TppWorkerThread',
      'TppWaiterpThread',
      'RtlpWorkerThread',
      'RtlpIOWorkerThread',
      'RtlpWaitThread',
      'RtlpTimerThread',
      'EtwpEventPump',
      'SockAsyncThread',
    ],
  ],
  [
    'io',
    [
      'NtReadFile',
      'ZwReadFile',
      'NtWriteFile',
      'ZwWriteFile',
      'NtDeviceIoControlFile',
      'ZwDeviceIoControlFile',
      'NtFsControlFile',
      'ZwFsControlFile',
      ...WIN32_IO_CALLS,
    ],
  ],
  ['sleep', ['NtDelayExecution', 'ZwDelayExecution', 'Sleep', 'SleepEx']],
  [
    'object',
    [
      'NtWaitForSingleObject',
      'ZwWaitForSingleObject',
      'NtWaitForMultipleObjects',
      'ZwWaitForMultipleObjects',
      'NtWaitForMultipleObjects32',
      'ZwWaitForMultipleObjects32',
      'WaitForMultipleObjects32',
      'NtSignalAndWaitForSingleObject',
      'NtWaitForKeyedEvent',
      'ZwWaitForKeyedEvent',
      'NtWaitForAlertByThreadId',
      'ZwWaitForAlertByThreadId',
      'RtlWaitOnAddress',
      'WaitOnAddress',
      'WaitForSingleObject',
      'WaitForSingleObjectEx',
      'WaitForMultipleObjects',
      'WaitForMultipleObjectsEx',
      'SignalObjectAndWait',
    ],
  ],
];

/** Kinds in which a thread is parked waiting for work, not stuck. */
export const IDLE_KINDS: ReadonlySet<WaitKind> = new Set(['ipc-server', 'message-loop', 'thread-pool']);

const KIND_OF = new Map<string, WaitKind>();
for (const [kind, names] of KINDS) for (const n of names) KIND_OF.set(n, kind);
/** More specific kinds win when a run holds several (a lock wait ends in a plain object wait). */
const PRIORITY: readonly WaitKind[] = KINDS.map(([k]) => k);

/** Frames whose first stack argument (kb) is the CRITICAL_SECTION being entered. */
const CS_ARG_FUNCTIONS = new Set(CRITICAL_SECTION_FUNCTIONS);

/** A name farther than this from its symbol is a nearest export before some other function. */
const MAX_CREDIBLE_OFFSET = 0x1000n;

/** The wait-table name of a frame ("_NtWaitForSingleObject@12" → "NtWaitForSingleObject"). */
function waitName(f: Frame): string | null {
  if (f.symbol === null) return null;
  if (f.offset !== null && big(f.offset) > MAX_CREDIBLE_OFFSET) return null;
  return f.symbol.replace(/^_+/, '').replace(/@\d+$/, '');
}

/**
 * Win32 calls that block the calling thread themselves. With the system calls (Nt*, Zw*) they
 * are where a waiting thread actually stops; the other names in the tables (NdrClientCall2,
 * RtlEnterCriticalSection, MessageBoxW) only say why, and can be on a stack that is busy doing
 * something else, such as raising an exception.
 */
const BLOCKING_CALLS = new Set([
  'WaitForSingleObject',
  'WaitForSingleObjectEx',
  'WaitForMultipleObjects',
  'WaitForMultipleObjectsEx',
  'WaitForMultipleObjects32',
  'SignalObjectAndWait',
  'WaitOnAddress',
  'RtlWaitOnAddress',
  'Sleep',
  'SleepEx',
  'GetMessageA',
  'GetMessageW',
  'WaitMessage',
  'whNtUserGetMessage',
  'MsgWaitForMultipleObjects',
  'MsgWaitForMultipleObjectsEx',
  'RealMsgWaitForMultipleObjectsEx',
  'GetQueuedCompletionStatus',
  'GetQueuedCompletionStatusEx',
  'RemoveIoCompletionFault',
  ...WIN32_IO_CALLS,
]);

function isBlockingCall(f: Frame): boolean {
  const n = waitName(f);
  return n !== null && KIND_OF.has(n) && (/^(?:Nt|Zw)[A-Z]/.test(n) || BLOCKING_CALLS.has(n));
}

export function waitKindOf(f: Frame): WaitKind | null {
  const n = waitName(f);
  return n === null ? null : (KIND_OF.get(n) ?? null);
}

export interface ThreadWait {
  threadId: number;
  view: StackView;
  kind: WaitKind;
  idle: boolean;
  /** Indices of the operating-system frames from the blocking call to the caller, innermost first. */
  waitFrames: number[];
  /** The frame that names the wait best ("RtlEnterCriticalSection", "NdrClientCall2"). */
  key: Frame;
  /** The first frame below the wait outside the operating system: the code that waits. */
  caller: Frame | null;
  /** The CRITICAL_SECTION's address when a kb argument column shows it. */
  lockAddress: string | null;
}

/**
 * Only this many frames from the top may pass before the first wait function: a thread that is
 * waiting is inside the system call, so its wait shows at once (after a KiFastSystemCallRet or
 * a WOW64 thunk at most).
 */
const WAIT_WITHIN = 4;
/** How far the operating-system run above the caller is followed. */
const MAX_RUN = 40;

/**
 * What `thread` waits for, from its 32-bit stack when it has one, else its native stack.
 * `nativeBits` is the width of the native stack (the dump's architecture).
 */
export function threadWait(thread: Thread, nativeBits: 32 | 64 = 32): ThreadWait | null {
  for (const s of threadStacks(thread)) {
    const w = stackWait(thread.id, s.view, s.frames, s.view === 'x86' ? 32 : nativeBits);
    if (w) return w;
  }
  return null;
}

/**
 * A critical-section wait that timed out under a debugger breaks into it (RtlpWaitForCriticalSection
 * calls DbgBreakPoint, then waits again): the thread is in DbgBreakPoint, still blocked.
 */
function isTimeoutBreak(run: readonly Frame[], firstWait: number): boolean {
  return firstWait > 0 && waitName(run[firstWait - 1]!) === 'DbgBreakPoint' && waitKindOf(run[firstWait]!) === 'critical-section';
}

/**
 * `bits`: the stack's pointer width. Only a 32-bit stack passes arguments on the stack, so only
 * there does kb's first argument column name the critical section; on x64 it is the callee's
 * home space, which holds whatever was last stored there.
 */
export function stackWait(threadId: number, view: StackView, frames: readonly Frame[], bits: 32 | 64 = 32): ThreadWait | null {
  let end = 0;
  while (end < frames.length && end < MAX_RUN && isSystemFrame(frames[end]!)) end++;
  const run = frames.slice(0, end);
  const firstWait = run.findIndex((f) => waitKindOf(f) !== null);
  if (firstWait < 0 || firstWait >= WAIT_WITHIN || !(isBlockingCall(run[firstWait]!) || isTimeoutBreak(run, firstWait))) return null;

  let kind: WaitKind | null = null;
  let key: Frame | null = null;
  for (const f of run) {
    const k = waitKindOf(f);
    if (k === null) continue;
    // The outermost frame of the winning kind is the API the program called (MessageBoxW,
    // RtlEnterCriticalSection, NdrClientCall2), the best name for the wait.
    if (kind === null || PRIORITY.indexOf(k) <= PRIORITY.indexOf(kind)) {
      kind = k;
      key = f;
    }
  }
  const waitFrames = run.slice(firstWait).map((f) => f.index);
  if (kind === null || key === null) return null;

  let lockAddress: string | null = null;
  if (kind === 'critical-section' && bits === 32) {
    for (const f of run) {
      const n = waitName(f);
      const a = f.args?.[0];
      if (n !== null && CS_ARG_FUNCTIONS.has(n) && a !== undefined && a !== '0x0') {
        lockAddress = a;
        break;
      }
    }
  }
  return {
    threadId,
    view,
    kind,
    idle: IDLE_KINDS.has(kind),
    waitFrames,
    key,
    caller: frames[end] ?? null,
    lockAddress,
  };
}
