// Last Error Collection: the last Win32 error of every thread, as GetLastError would return it
// there (TEB.LastErrorValue; WinDbg's `!gle` on one thread, `~*e !gle` on all). A failed call
// leaves its error behind until the next failing call, so a thread stuck or crashed after
// ignoring a failure often still says what failed: file not found (2), access denied (5),
// invalid handle (6), not enough memory (8), a timed-out wait (1460), a refused connection
// (10061). Reading them all at once is cheap and often the quickest hint.
//
// The values come from the TEBs the dump holds (full memory, or MiniDumpWithProcessThreadData
// on Windows). Certain when at least one thread's TEB holds a non-zero value; silent when the
// dump holds no TEB (the values are unknown, not zero) or every value is 0.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { plural } from './lib/model-queries.ts';

/** Win32 error codes most often met in dumps, to name them in the summary (winerror.h). */
const WIN32_ERRORS: Readonly<Record<number, string>> = {
  1: 'ERROR_INVALID_FUNCTION',
  2: 'ERROR_FILE_NOT_FOUND',
  3: 'ERROR_PATH_NOT_FOUND',
  4: 'ERROR_TOO_MANY_OPEN_FILES',
  5: 'ERROR_ACCESS_DENIED',
  6: 'ERROR_INVALID_HANDLE',
  8: 'ERROR_NOT_ENOUGH_MEMORY',
  14: 'ERROR_OUTOFMEMORY',
  32: 'ERROR_SHARING_VIOLATION',
  33: 'ERROR_LOCK_VIOLATION',
  87: 'ERROR_INVALID_PARAMETER',
  109: 'ERROR_BROKEN_PIPE',
  122: 'ERROR_INSUFFICIENT_BUFFER',
  126: 'ERROR_MOD_NOT_FOUND',
  127: 'ERROR_PROC_NOT_FOUND',
  183: 'ERROR_ALREADY_EXISTS',
  203: 'ERROR_ENVVAR_NOT_FOUND',
  232: 'ERROR_NO_DATA',
  258: 'WAIT_TIMEOUT',
  259: 'ERROR_NO_MORE_ITEMS',
  487: 'ERROR_INVALID_ADDRESS',
  997: 'ERROR_IO_PENDING',
  998: 'ERROR_NOACCESS',
  1400: 'ERROR_INVALID_WINDOW_HANDLE',
  1450: 'ERROR_NO_SYSTEM_RESOURCES',
  1455: 'ERROR_COMMITMENT_LIMIT',
  1460: 'ERROR_TIMEOUT',
  10054: 'WSAECONNRESET',
  10060: 'WSAETIMEDOUT',
  10061: 'WSAECONNREFUSED',
};

/** Threads named in the summary, at most. */
const LISTED = 6;

export function win32ErrorName(code: number): string {
  return WIN32_ERRORS[code] ?? `error ${code}`;
}

/** A Win32 error in decimal, as !gle prints it; a larger value (an NTSTATUS or HRESULT stored as one) in hex. */
function valueText(code: number): string {
  return code > 0xffff ? `0x${code.toString(16).padStart(8, '0')}` : String(code);
}

export default defineDetector({
  id: 'last-error-collection',
  messages: {
    errors: '{{threads}} of {{total}} left a last error: {{list}}{{more}}.',
  },
  detect(model) {
    const known = model.threads.filter((t) => t.lastError !== undefined && t.lastError !== null);
    const failed = known.filter((t) => t.lastError! !== 0);
    if (failed.length === 0) return [];
    const evidence: Evidence[] = failed.map((t) => ({ kind: 'thread' as const, threadId: t.id, note: `last error ${valueText(t.lastError!)} (${win32ErrorName(t.lastError!)})` }));
    const list = failed
      .slice(0, LISTED)
      .map((t) => `${threadLabel(t)} ${valueText(t.lastError!)}${WIN32_ERRORS[t.lastError!] ? ` (${WIN32_ERRORS[t.lastError!]})` : ''}`)
      .join(', ');
    return [
      {
        confidence: 'certain',
        messageId: 'errors',
        data: {
          threads: plural(failed.length, 'thread'),
          total: known.length,
          list,
          more: failed.length > LISTED ? `, and ${failed.length - LISTED} more` : '',
          count: failed.length,
        },
        evidence,
      },
    ];
  },
});
