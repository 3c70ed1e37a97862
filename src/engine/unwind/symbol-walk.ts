// The strategies that walk with a symbol file, one per CPU, loaded on demand by
// symbol-strategies.ts: x86 tries the frame data (FPO / FRAMEDATA / STACK WIN) and then STACK
// CFI; x64 has STACK CFI only (its own unwind info comes from the image).
import { getAmd64CallerByCfi, getX86CallerByCfi } from './cfi.ts';
import type { Amd64Registers, X86Registers } from './types.ts';
import type { Strategy } from './walker.ts';
import { getCallerByFrameData } from './x86-frame-data.ts';

export const x86: Strategy<X86Registers> = async (...args) => (await getCallerByFrameData(...args)) ?? getX86CallerByCfi(...args);
export const amd64: Strategy<Amd64Registers> = getAmd64CallerByCfi;
