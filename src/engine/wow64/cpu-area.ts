// Where the saved x86 context sits inside the WOW64 CPU-reserved area
// (TEB64.TlsSlots[WOW64_TLS_CPURESERVED]).
//
// Sources for the offset:
// - Microsoft's WOW64_CONTEXT page (winnt.h docs): on Vista/2008, 7/2008 R2, 8/2012 and
//   8.1/2012 R2 "Slot 1 of TLS holds a pointer to a structure that contains a WOW64_CONTEXT
//   structure starting at offset 4".
// - Windows 10 and later: the area starts with WOW64_CPURESERVED { USHORT Flags; USHORT
//   Machine; } and the context follows at the context type's alignment (Wine's winternl.h and
//   its RtlWow64GetCurrentCpuArea; for i386 the alignment is 4, so offset 4 again). Machine is
//   IMAGE_FILE_MACHINE_I386 (0x14c) for an x86 guest.
// - WinDbg's wow64exts reads TLS slot 1 and skips one ULONG (pykd/kdlib cpucontext.cpp,
//   "hardcoded in !wow64exts.r": +00 unknown ULONG, +04 WOW64_CONTEXT).
// - XP x64 / Server 2003 x64 are not covered by any public layout we found. A real 2003 x64
//   WOW64 dump (the Virtualized Process article this project's WOW64 fixture mirrors) shows
//   the context's ContextFlags (0x10007 / 0x1002f) at a 16-byte-aligned address + 4 near the
//   top of each thread's 64-bit stack, consistent with the same +4 layout. So +4 is tried
//   first everywhere, and offset 0 is kept as a fallback, taken only when +4 does not look
//   like an i386 context and 0 does; a warning says so when that happens.
import { CONTEXT_I386 } from './x86-context.ts';
import type { WindowsVersion } from './windows-version.ts';

export interface CpuAreaLayout {
  /** Offset of the WOW64_CONTEXT from the start of the CPU-reserved area. */
  contextOffset: number;
  name: 'cpu-reserved+4' | 'cpu-reserved+0';
}

export const LAYOUT_PLUS_4: CpuAreaLayout = { contextOffset: 4, name: 'cpu-reserved+4' };
export const LAYOUT_PLUS_0: CpuAreaLayout = { contextOffset: 0, name: 'cpu-reserved+0' };

/** WOW64_CPURESERVED.Machine for an x86 guest (Windows 10+). */
export const IMAGE_FILE_MACHINE_I386 = 0x14c;

/** Layouts to try, most likely first. */
export function cpuAreaLayouts(_version: WindowsVersion | null): CpuAreaLayout[] {
  // Same order for every version today (see above); the version parameter keeps the choice
  // in one place should a release differ.
  return [LAYOUT_PLUS_4, LAYOUT_PLUS_0];
}

/**
 * An i386 context record carries CONTEXT_i386 (0x10000), part flags only in the low 7 bits
 * (CONTROL … EXTENDED_REGISTERS, XSTATE 0x40), no other CPU's marker (0x20000 … 0x800000);
 * the top byte holds state bits (EXCEPTION_ACTIVE …) and is ignored.
 */
export function looksLikeI386ContextFlags(flags: number): boolean {
  return (flags & 0x00ffff80) === CONTEXT_I386;
}
