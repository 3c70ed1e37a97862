// WOW64: recognising a 32-bit process in a 64-bit dump and recovering its x86 thread state.
export { detectWow64 } from './detect.ts';
export type { Wow64Detection, Wow64Evidence, Wow64ModuleInput } from './detect.ts';
export { recoverWow64Context } from './recover.ts';
export type { Wow64Failed, Wow64FailureKind, Wow64Recovered, Wow64Recovery } from './recover.ts';
export { locateTeb32, readTeb32, readTeb64TlsSlot, TEB32_DISTANCE, TEB32_OFFSETS, TEB64_OFFSETS, WOW64_TLS_CPURESERVED } from './teb.ts';
export type { Teb32, Teb32Location } from './teb.ts';
export { decodeWow64Context, x86RegisterRecord, WOW64_CONTEXT_SIZE } from './x86-context.ts';
export type { X86Context } from './x86-context.ts';
export type { WindowsVersion } from './windows-version.ts';
