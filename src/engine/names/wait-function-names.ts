// The system functions a thread waits in when it waits for a critical section or a kernel
// object, by name without the module: the same function moved between kernel32, KERNELBASE and
// ntdll across Windows versions, and Wine names some of them differently. Model assembly reads
// them to find which frame of a waiting thread holds the lock's address or the handle; the
// detectors' own wait tables (src/detectors/lib/wait-functions.ts) take the critical-section list
// from here so the two never disagree on what entering a section looks like.

/**
 * The critical-section path, outermost (the API a program calls) to innermost. Windows:
 * RtlEnterCriticalSection → RtlpEnterCriticalSectionContended → RtlpWaitOnCriticalSection →
 * NtWaitForSingleObject on the section's LockSemaphore (or NtWaitForAlertByThreadId on 8+).
 * Wine and Windows XP/2003: RtlEnterCriticalSection → RtlpWaitForCriticalSection →
 * RtlWaitOnAddress / NtWaitForSingleObject. The first argument of each is the section.
 */
export const CRITICAL_SECTION_FUNCTIONS: readonly string[] = [
  'RtlEnterCriticalSection',
  'RtlpEnterCriticalSectionContended',
  'RtlpWaitOnCriticalSection',
  'RtlpWaitForCriticalSection',
  'EnterCriticalSection',
];

/** Waits for one handle: the handle is the first argument. */
export const SINGLE_OBJECT_WAITS: readonly string[] = [
  'WaitForSingleObject',
  'WaitForSingleObjectEx',
  'NtWaitForSingleObject',
  'ZwWaitForSingleObject',
];

/**
 * Waits for several handles (Count, then a pointer to the array). Wine's kernelbase also sends a
 * single-object wait here, as a one-handle array; Windows sends WaitForMultipleObjects(Ex).
 */
export const MULTIPLE_OBJECT_WAITS: readonly string[] = [
  'WaitForMultipleObjects',
  'WaitForMultipleObjectsEx',
  'NtWaitForMultipleObjects',
  'ZwWaitForMultipleObjects',
];

/**
 * The system calls and low-level waits that the two families above end in: where a waiting
 * thread's stack starts (frame 0, after at most a KiFastSystemCallRet or a WOW64 thunk).
 */
export const WAIT_SYSTEM_CALLS: readonly string[] = [
  'NtWaitForSingleObject',
  'ZwWaitForSingleObject',
  'NtWaitForMultipleObjects',
  'ZwWaitForMultipleObjects',
  'NtWaitForAlertByThreadId',
  'ZwWaitForAlertByThreadId',
  'NtWaitForKeyedEvent',
  'ZwWaitForKeyedEvent',
  'RtlWaitOnAddress',
];

/**
 * A frame's symbol as the tables spell it: x86 decorations dropped ("_NtWaitForSingleObject@12"
 * → "NtWaitForSingleObject"), and old WinDbg's underscore prefix ("_RtlEnterCriticalSection").
 */
export function waitTableName(symbol: string): string {
  return symbol.replace(/^_+/, '').replace(/@\d+$/, '');
}
