// Minidump → dump model. Filled in by the minidump engine; until then binary dumps are
// refused with a clear message rather than half-read.
import { DumpError } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { DumpModel } from './schema.ts';

export interface MinidumpReadOptions {
  /** Module files (.exe/.dll) supplied beside the dump, to unwind and name frames. */
  images?: ByteSource[];
  signal?: AbortSignal;
  onProgress?: (progress: { stage: string; fraction: number }) => void;
}

export async function readMinidumpModel(source: ByteSource, _options: MinidumpReadOptions = {}): Promise<DumpModel> {
  throw new DumpError('unsupported', `${source.name}: binary minidumps are not supported yet; paste WinDbg output instead`);
}
