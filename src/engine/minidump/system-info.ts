// MINIDUMP_SYSTEM_INFO (56 bytes): CPU architecture, OS version and the CPU's identity. Breakpad
// reuses it for Linux/macOS/Android with its own PlatformId values and puts the kernel version
// (`uname -srvmo`) where Windows keeps the service-pack string.
import type { Arch, Platform } from '../core/dump-model.ts';
import { hex32, readLocation, type StreamContext } from './location.ts';
import { readOptionalString } from './strings.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const SYSTEM_INFO_SIZE = 56;

export type CpuInfo =
  | {
      kind: 'x86';
      /** "GenuineIntel", "AuthenticAMD". */
      vendor: string;
      versionInformation: number;
      featureInformation: number;
      amdExtendedCpuFeatures: number;
    }
  | { kind: 'other'; processorFeatures: [bigint, bigint] };

export interface SystemInfo {
  /** PROCESSOR_ARCHITECTURE_* value as written. */
  processorArchitecture: number;
  arch: Arch;
  processorLevel: number;
  processorRevision: number;
  numberOfProcessors: number;
  /** VER_NT_WORKSTATION = 1, DOMAIN_CONTROLLER = 2, SERVER = 3. */
  productType: number;
  majorVersion: number;
  minorVersion: number;
  buildNumber: number;
  platformId: number;
  platform: Platform;
  /** Windows: "Service Pack 2"; Breakpad on Linux: the kernel's uname string. Null when absent. */
  csdVersion: string | null;
  suiteMask: number;
  cpu: CpuInfo;
}

/** The cpuid vendor string, or "" when the writer left garbage there (Wine does on x64). */
function printable(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s.trim() : '';
}

/** PROCESSOR_ARCHITECTURE_* (winnt.h), plus Breakpad's 0x8001.. values. */
export function archFromProcessor(value: number): Arch {
  switch (value) {
    case 0: // INTEL
    case 10: // IA32_ON_WIN64
      return 'x86';
    case 9:
      return 'amd64';
    case 12: // ARM64
    case 0x8003: // Breakpad's ARM64 before Windows assigned 12
      return 'arm64';
    case 5:
      return 'arm';
    case 3:
    case 0x8002: // PPC64
      return 'ppc';
    case 1:
    case 0x8004: // MIPS64
      return 'mips';
    case 0x8001:
      return 'sparc';
    default:
      return 'unknown';
  }
}

/** VER_PLATFORM_* (winnt.h), plus Breakpad's 0x8000.. values. */
export function platformFromId(value: number): Platform {
  switch (value) {
    case 0: // WIN32s
    case 1: // WIN32_WINDOWS (9x)
    case 2: // WIN32_NT
    case 3: // WIN32_CE
      return 'windows';
    case 0x8101:
      return 'macos';
    case 0x8102:
      return 'ios';
    case 0x8201:
      return 'linux';
    case 0x8202:
      return 'solaris';
    case 0x8203:
      return 'android';
    default:
      return 'unknown';
  }
}

export async function readSystemInfo(ctx: StreamContext, entry: StreamEntry): Promise<SystemInfo> {
  const r = await readLocation(ctx, entry, entry.name, 4096);
  if (r.length < SYSTEM_INFO_SIZE) {
    throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, a system info record needs ${SYSTEM_INFO_SIZE}`);
  }
  const processorArchitecture = r.u16(0);
  const arch = archFromProcessor(processorArchitecture);
  const platformId = r.u32(20);
  const csdVersionRva = r.u32(24);
  // The CPU union is x86 cpuid data only for x86 and amd64; everything else uses the
  // ProcessorFeatures form.
  const cpu: CpuInfo =
    arch === 'x86' || arch === 'amd64'
      ? {
          kind: 'x86',
          vendor: printable(r.ansi(32, 12, 'vendor id')),
          versionInformation: r.u32(44),
          featureInformation: r.u32(48),
          amdExtendedCpuFeatures: r.u32(52),
        }
      : { kind: 'other', processorFeatures: [r.u64(32), r.u64(40)] };
  return {
    processorArchitecture,
    arch,
    processorLevel: r.u16(2),
    processorRevision: r.u16(4),
    numberOfProcessors: r.u8(6),
    productType: r.u8(7),
    majorVersion: r.u32(8),
    minorVersion: r.u32(12),
    buildNumber: r.u32(16),
    platformId,
    platform: platformFromId(platformId),
    csdVersion: await readOptionalString(ctx, csdVersionRva, `${entry.name} CSDVersion at ${hex32(csdVersionRva)}`),
    suiteMask: r.u16(28),
    cpu,
  };
}
