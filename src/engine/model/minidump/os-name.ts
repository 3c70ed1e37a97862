// Windows marketing names from (major, minor, build, product type), so a minidump's system line
// reads like WinDbg's banner ("Windows 10 Version 19045 MP (8 procs) Free x64").
import type { SystemInfo } from '../../minidump/system-info.ts';

const VER_NT_WORKSTATION = 1;

export function windowsName(major: number, minor: number, build: number, productType: number): string {
  const server = productType !== VER_NT_WORKSTATION && productType !== 0;
  if (major === 10 && minor === 0) {
    if (server) {
      if (build >= 26100) return 'Windows Server 2025';
      if (build >= 20348) return 'Windows Server 2022';
      if (build >= 17763) return 'Windows Server 2019';
      return 'Windows Server 2016';
    }
    return build >= 22000 ? 'Windows 11' : 'Windows 10';
  }
  if (major === 6) {
    const names: Record<number, [string, string]> = {
      0: ['Windows Vista', 'Windows Server 2008'],
      1: ['Windows 7', 'Windows Server 2008 R2'],
      2: ['Windows 8', 'Windows Server 2012'],
      3: ['Windows 8.1', 'Windows Server 2012 R2'],
    };
    const pair = names[minor];
    if (pair) return server ? pair[1] : pair[0];
  }
  if (major === 5) {
    if (minor === 0) return 'Windows 2000';
    if (minor === 1) return 'Windows XP';
    if (minor === 2) return server ? 'Windows Server 2003' : 'Windows XP x64';
  }
  return `Windows NT ${major}.${minor}`;
}

export function osLine(info: SystemInfo): string {
  if (info.platform !== 'windows') {
    const base = { linux: 'Linux', macos: 'macOS', android: 'Android', ios: 'iOS', solaris: 'Solaris', unknown: 'Unknown OS' }[info.platform];
    // Breakpad puts the kernel's uname line ("Linux 3.13.0-53-generic #89-Ubuntu …") there.
    if (info.csdVersion) return info.csdVersion.startsWith(base) ? info.csdVersion : `${base} ${info.csdVersion}`;
    return `${base} ${info.majorVersion}.${info.minorVersion}.${info.buildNumber}`;
  }
  const name = windowsName(info.majorVersion, info.minorVersion, info.buildNumber, info.productType);
  const sp = info.csdVersion ? ` (${info.csdVersion})` : '';
  const cpus = info.numberOfProcessors > 1 ? `MP (${info.numberOfProcessors} procs)` : 'UP';
  const arch = info.arch === 'amd64' ? 'x64' : info.arch;
  return `${name} Version ${info.buildNumber}${sp} ${cpus} Free ${arch}`;
}

const PRODUCTS: Record<number, string> = { 1: 'WinNt', 2: 'LanManNt', 3: 'Server' };
// VER_SUITE_* bits (winnt.h) with the names WinDbg's banner prints after "suite:".
const SUITES: [number, string][] = [
  [0x1, 'SmallBusiness'], [0x2, 'Enterprise'], [0x4, 'BackOffice'], [0x8, 'Communications'],
  [0x10, 'TerminalServer'], [0x20, 'SmallBusinessRestricted'], [0x40, 'EmbeddedNT'], [0x80, 'DataCenter'],
  [0x100, 'SingleUserTS'], [0x200, 'Personal'], [0x400, 'Blade'], [0x800, 'EmbeddedRestricted'],
  [0x1000, 'SecurityAppliance'], [0x2000, 'StorageServer'], [0x4000, 'ComputeServer'], [0x8000, 'WHServer'],
];

/** WinDbg's "Product: Server, suite: TerminalServer" line (after the colon), or null off Windows. */
export function productLine(info: SystemInfo): string | null {
  if (info.platform !== 'windows') return null;
  const product = PRODUCTS[info.productType];
  if (!product) return null;
  const suites = SUITES.filter(([bit]) => (info.suiteMask & bit) !== 0).map(([, name]) => name);
  return suites.length > 0 ? `${product}, suite: ${suites.join(' ')}` : product;
}
