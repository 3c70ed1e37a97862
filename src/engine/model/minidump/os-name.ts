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
    return info.csdVersion ? `${base} ${info.csdVersion}` : `${base} ${info.majorVersion}.${info.minorVersion}.${info.buildNumber}`;
  }
  const name = windowsName(info.majorVersion, info.minorVersion, info.buildNumber, info.productType);
  const sp = info.csdVersion ? ` (${info.csdVersion})` : '';
  const cpus = info.numberOfProcessors > 1 ? `MP (${info.numberOfProcessors} procs)` : 'UP';
  const arch = info.arch === 'amd64' ? 'x64' : info.arch;
  return `${name} Version ${info.buildNumber}${sp} ${cpus} Free ${arch}`;
}
