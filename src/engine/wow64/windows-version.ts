// The Windows version as MINIDUMP_SYSTEM_INFO gives it; WOW64 layouts are chosen by it.

export interface WindowsVersion {
  major: number;
  minor: number;
  build: number;
}

/** Windows 10 / Server 2016 and later (NT 10.0, build 10240+). */
export function isWindows10OrLater(v: WindowsVersion): boolean {
  return v.major >= 10 && v.build >= 10240;
}
