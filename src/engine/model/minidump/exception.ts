// The exception stream as the model's exception record: code named and explained, the access
// an access violation attempted decoded from its parameters.
import type { MinidumpException } from '../../minidump/exception.ts';
import { describeCode } from '../../names/exception-codes.ts';
import { code32, hex } from '../hex.ts';
import type { ExceptionRecord } from '../schema.ts';

const ACCESS_VIOLATION = 0xc0000005;
const IN_PAGE_ERROR = 0xc0000006;
const ACCESS_KINDS = { 0: 'read', 1: 'write', 8: 'execute' } as const;

export function exceptionRecord(ex: MinidumpException, platform: string): ExceptionRecord {
  const windows = platform === 'windows' || platform === 'unknown';
  const meaning = windows ? describeCode(ex.code) : { name: signalName(ex.code), description: null };
  let access: ExceptionRecord['access'] = null;
  if (windows && (ex.code === ACCESS_VIOLATION || ex.code === IN_PAGE_ERROR) && ex.parameters.length >= 2) {
    const kind = ACCESS_KINDS[Number(ex.parameters[0]) as 0 | 1 | 8] ?? 'unknown';
    access = { kind, address: hex(ex.parameters[1]!) };
  }
  return {
    code: code32(ex.code),
    name: meaning.name,
    description: meaning.description,
    flags: hex(ex.flags),
    address: hex(ex.address),
    threadId: ex.threadId,
    parameters: ex.parameters.map((p) => hex(p)),
    access,
    // The dump holds only the outer record; a nested record's address points into process
    // memory, so only its presence is known here.
    ...(ex.nestedRecord !== 0n ? { nested: [] } : {}),
    module: null,
    symbol: null,
  };
}

const SIGNALS: Record<number, string> = {
  4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM',
};

function signalName(code: number): string | null {
  return SIGNALS[code] ?? null;
}
