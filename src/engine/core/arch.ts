// The CPU a dump was taken on, and the one rule that says how wide its addresses are. The
// lists are plain constants (the page's script uses them without zod); dump-model.ts makes the
// schema's enums of them.

export const ARCHES = ['x86', 'amd64', 'arm64', 'arm', 'ppc', 'mips', 'sparc', 'unknown'] as const;
export type Arch = (typeof ARCHES)[number];

export const PLATFORMS = ['windows', 'linux', 'macos', 'android', 'ios', 'solaris', 'unknown'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * The pointer width of `arch`: 64 for amd64 and arm64, 32 for x86 and arm, null for the CPUs we
 * do not read (ppc, mips, sparc) and for an unknown one. A WOW64 process runs 32-bit code on a
 * 64-bit CPU: the dump's arch is still 64-bit; the model's `process.bitness` says 32.
 */
export function archBits(arch: Arch): 32 | 64 | null {
  if (arch === 'amd64' || arch === 'arm64') return 64;
  if (arch === 'x86' || arch === 'arm') return 32;
  return null;
}
