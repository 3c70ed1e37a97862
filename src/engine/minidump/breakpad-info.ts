// Breakpad's own streams. BreakpadInfo (0x47670001) says which thread wrote the dump (its
// stack is the handler's, not the crash's) and which one asked for it. AssertionInfo
// (0x47670002) records an invalid-parameter or pure-virtual-call report from the CRT.
import { readLocation, type StreamContext } from './location.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export interface BreakpadInfo {
  validity: number;
  /** The thread that wrote the dump; skip it when looking for the crash. */
  dumpThreadId: number | null;
  /** The thread that requested the dump (the crashing thread for an in-process handler). */
  requestingThreadId: number | null;
}

export async function readBreakpadInfo(ctx: StreamContext, entry: StreamEntry): Promise<BreakpadInfo> {
  const r = await readLocation(ctx, entry, entry.name, 4096);
  if (r.length < 12) throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, needs 12`);
  const validity = r.u32(0);
  return {
    validity,
    dumpThreadId: validity & 1 ? r.u32(4) : null,
    requestingThreadId: validity & 2 ? r.u32(8) : null,
  };
}

export const ASSERTION_INFO_SIZE = 776;

export interface AssertionInfo {
  expression: string;
  function: string;
  file: string;
  line: number;
  /** 0 unknown, 1 invalid parameter, 2 pure virtual call. */
  type: number;
}

export async function readAssertionInfo(ctx: StreamContext, entry: StreamEntry): Promise<AssertionInfo> {
  const r = await readLocation(ctx, entry, entry.name, 4096);
  if (r.length < ASSERTION_INFO_SIZE) {
    throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, needs ${ASSERTION_INFO_SIZE}`);
  }
  // Three fixed 128-character UTF-16 buffers, NUL-terminated.
  return {
    expression: r.utf16(0, 256),
    function: r.utf16(256, 256),
    file: r.utf16(512, 256),
    line: r.u32(768),
    type: r.u32(772),
  };
}
