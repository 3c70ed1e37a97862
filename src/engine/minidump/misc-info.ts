// MiscInfoStream: MINIDUMP_MISC_INFO, grown five times; SizeOfInfo says which version was
// written (24, 44, 232, 832, 1364 bytes) and Flags1 which fields of it are valid.
import { readLocation, type StreamContext } from './location.ts';
import type { BinaryReader } from '../io/binary-reader.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const MISC_INFO_SIZES = [24, 44, 232, 832, 1364] as const;

export const MiscFlags = {
  processId: 0x1,
  processTimes: 0x2,
  processorPowerInfo: 0x4,
  processIntegrity: 0x10,
  processExecuteFlags: 0x20,
  timeZone: 0x40,
  protectedProcess: 0x80,
  buildString: 0x100,
  processCookie: 0x200,
} as const;

export interface SystemTime {
  year: number;
  month: number;
  dayOfWeek: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  milliseconds: number;
}

export interface TimeZoneInfo {
  /** TIME_ZONE_ID_UNKNOWN 0, STANDARD 1, DAYLIGHT 2. */
  id: number;
  /** Minutes to add to local time to get UTC. */
  bias: number;
  standardName: string;
  standardDate: SystemTime;
  standardBias: number;
  daylightName: string;
  daylightDate: SystemTime;
  daylightBias: number;
}

export interface ProcessorPowerInfo {
  maxMhz: number;
  currentMhz: number;
  mhzLimit: number;
  maxIdleState: number;
  currentIdleState: number;
}

export interface XStateFeature {
  /** Feature bit (0 x87, 1 SSE, 2 AVX, 11/12 CET…). */
  index: number;
  offset: number;
  size: number;
}

export interface MiscInfo {
  /** SizeOfInfo as written. */
  sizeOfInfo: number;
  /** 1..5: the newest MINIDUMP_MISC_INFO_N the size covers. */
  version: number;
  flags1: number;
  processId: number | null;
  /** time_t of process creation. */
  processCreateTime: number | null;
  /** Seconds of user and kernel time. */
  processUserTime: number | null;
  processKernelTime: number | null;
  processor: ProcessorPowerInfo | null;
  processIntegrityLevel: number | null;
  processExecuteFlags: number | null;
  protectedProcess: number | null;
  timeZone: TimeZoneInfo | null;
  /** "22000.1.amd64fre.co_release.210604-1628". */
  buildString: string | null;
  dbgBuildString: string | null;
  xstate: { contextSize: number; enabledFeatures: bigint; features: XStateFeature[] } | null;
  processCookie: number | null;
}

function systemTime(r: BinaryReader, at: number): SystemTime {
  return {
    year: r.u16(at),
    month: r.u16(at + 2),
    dayOfWeek: r.u16(at + 4),
    day: r.u16(at + 6),
    hour: r.u16(at + 8),
    minute: r.u16(at + 10),
    second: r.u16(at + 12),
    milliseconds: r.u16(at + 14),
  };
}

export async function readMiscInfo(ctx: StreamContext, entry: StreamEntry): Promise<MiscInfo> {
  const r = await readLocation(ctx, entry, entry.name, 64 * 1024);
  if (r.length < MISC_INFO_SIZES[0]) {
    throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, MINIDUMP_MISC_INFO needs ${MISC_INFO_SIZES[0]}`);
  }
  const sizeOfInfo = r.u32(0);
  // Trust the smaller of what the record claims and what the stream holds. A SizeOfInfo below
  // the first version's 24 bytes is a writer's slip (some test generators leave it 0): the
  // stream's own size is used then.
  let size = Math.min(sizeOfInfo, r.length);
  if (sizeOfInfo < MISC_INFO_SIZES[0]) {
    ctx.warn('misc-info-size', `${entry.name}: SizeOfInfo is ${sizeOfInfo}; the stream's ${r.length} bytes are used`);
    size = r.length;
  } else if (sizeOfInfo > r.length) {
    ctx.warn('stream-truncated', `${entry.name}: SizeOfInfo is ${sizeOfInfo} but the stream holds ${r.length} bytes`);
  }
  const version = MISC_INFO_SIZES.filter((s) => size >= s).length;
  const flags1 = r.u32(4);
  const has = (flag: number, minSize: number): boolean => (flags1 & flag) !== 0 && size >= minSize;

  let xstate: MiscInfo['xstate'] = null;
  if (size >= 1364) {
    const enabledFeatures = r.u64(840);
    const features: XStateFeature[] = [];
    for (let i = 0; i < 64; i++) {
      if ((enabledFeatures >> BigInt(i)) & 1n) features.push({ index: i, offset: r.u32(848 + i * 8), size: r.u32(852 + i * 8) });
    }
    if (enabledFeatures !== 0n) xstate = { contextSize: r.u32(836), enabledFeatures, features };
  }

  return {
    sizeOfInfo,
    version,
    flags1,
    processId: has(MiscFlags.processId, 24) ? r.u32(8) : null,
    processCreateTime: has(MiscFlags.processTimes, 24) ? r.u32(12) : null,
    processUserTime: has(MiscFlags.processTimes, 24) ? r.u32(16) : null,
    processKernelTime: has(MiscFlags.processTimes, 24) ? r.u32(20) : null,
    processor: has(MiscFlags.processorPowerInfo, 44)
      ? { maxMhz: r.u32(24), currentMhz: r.u32(28), mhzLimit: r.u32(32), maxIdleState: r.u32(36), currentIdleState: r.u32(40) }
      : null,
    processIntegrityLevel: has(MiscFlags.processIntegrity, 232) ? r.u32(44) : null,
    processExecuteFlags: has(MiscFlags.processExecuteFlags, 232) ? r.u32(48) : null,
    protectedProcess: has(MiscFlags.protectedProcess, 232) ? r.u32(52) : null,
    timeZone: has(MiscFlags.timeZone, 232)
      ? {
          id: r.u32(56),
          bias: r.i32(60),
          standardName: r.utf16(64, 64),
          standardDate: systemTime(r, 128),
          standardBias: r.i32(144),
          daylightName: r.utf16(148, 64),
          daylightDate: systemTime(r, 212),
          daylightBias: r.i32(228),
        }
      : null,
    buildString: has(MiscFlags.buildString, 832) ? r.utf16(232, 520) : null,
    dbgBuildString: has(MiscFlags.buildString, 832) ? r.utf16(752, 80) : null,
    xstate,
    processCookie: has(MiscFlags.processCookie, 1364) ? r.u32(1360) : null,
  };
}
