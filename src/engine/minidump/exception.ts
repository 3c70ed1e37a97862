// ExceptionStream: MINIDUMP_EXCEPTION_STREAM (168 bytes): the faulting thread, its exception
// record and the CONTEXT at the moment of the exception (which differs from the thread list's
// context: that one was captured later, inside the dump writer or the exception dispatcher).
import { parseLocation, readLocation, type Location, type StreamContext } from './location.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const EXCEPTION_STREAM_SIZE = 168;
/** EXCEPTION_MAXIMUM_PARAMETERS: the record has room for 15, whatever NumberParameters says. */
export const EXCEPTION_MAXIMUM_PARAMETERS = 15;

export interface MinidumpException {
  threadId: number;
  /** NTSTATUS-style code as an unsigned 32-bit number (0xc0000005). Linux: the signal number. */
  code: number;
  flags: number;
  /** Address of a nested EXCEPTION_RECORD in the process (not in the dump), 0 when none. */
  nestedRecord: bigint;
  address: bigint;
  /** NumberParameters as written (may exceed 15 in a corrupt dump). */
  numberParameters: number;
  /** The first min(NumberParameters, 15) ExceptionInformation values. */
  parameters: bigint[];
  context: Location;
}

export async function readException(ctx: StreamContext, entry: StreamEntry): Promise<MinidumpException> {
  const r = await readLocation(ctx, entry, entry.name, 4096);
  if (r.length < EXCEPTION_STREAM_SIZE) {
    throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, an exception stream needs ${EXCEPTION_STREAM_SIZE}`);
  }
  const numberParameters = r.u32(32);
  if (numberParameters > EXCEPTION_MAXIMUM_PARAMETERS) {
    ctx.warn('exception-parameters', `${entry.name}: NumberParameters is ${numberParameters}, only ${EXCEPTION_MAXIMUM_PARAMETERS} exist`);
  }
  const parameters: bigint[] = [];
  for (let i = 0; i < Math.min(numberParameters, EXCEPTION_MAXIMUM_PARAMETERS); i++) parameters.push(r.u64(40 + i * 8));
  return {
    threadId: r.u32(0),
    // offset 4 is alignment padding
    code: r.u32(8),
    flags: r.u32(12),
    nestedRecord: r.u64(16),
    address: r.u64(24),
    numberParameters,
    parameters,
    context: parseLocation(r, 160),
  };
}
