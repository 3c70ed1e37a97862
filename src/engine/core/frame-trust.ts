// How a frame was found, weakest last, and the words a reader sees for it. Mirrors Breakpad's
// "Found by:" and rust-minidump's FrameTrust; `text` means a debugger printed the frame and we
// only read it back. `frame-data` (x86 FPO / FRAMEDATA from a PDB, STACK WIN from a .sym) and
// `cfi` (STACK CFI from a .sym) come from symbol files: as exact as unwind info when the file
// matches the module, which the engine checks before it uses one. A plain list (the page's
// script uses it without zod); dump-model.ts makes the schema's enum of it.

export const FRAME_TRUSTS = ['context', 'unwind-info', 'frame-data', 'cfi', 'frame-pointer', 'scan', 'text', 'none'] as const;
export type FrameTrust = (typeof FRAME_TRUSTS)[number];

/** Short words for a stack row ("[unwind info]"); apart from the long ones, which the page does not carry. */
const SHORT_WORDS: Record<FrameTrust, string> = {
  context: 'context',
  'unwind-info': 'unwind info',
  'frame-data': 'frame data',
  cfi: 'call frame info',
  'frame-pointer': 'frame pointer',
  scan: 'stack scan',
  text: 'debugger text',
  none: 'unknown',
};

/** The short words and how Breakpad would say it ("Found by: …"), for a tooltip or a note. */
export const FRAME_TRUST_WORDS: Record<FrameTrust, { short: string; long: string }> = {
  context: { short: SHORT_WORDS.context, long: 'given as instruction pointer in context' },
  'unwind-info': { short: SHORT_WORDS['unwind-info'], long: 'unwind information (.pdata) of the module' },
  'frame-data': { short: SHORT_WORDS['frame-data'], long: 'stack frame info (FPO / STACK WIN)' },
  cfi: { short: SHORT_WORDS.cfi, long: 'call frame info (STACK CFI)' },
  'frame-pointer': { short: SHORT_WORDS['frame-pointer'], long: 'previous frame’s frame pointer' },
  scan: { short: SHORT_WORDS.scan, long: 'stack scanning (a guess: a value on the stack that looks like a return address)' },
  text: { short: SHORT_WORDS.text, long: 'printed by the debugger and read back from its text' },
  none: { short: SHORT_WORDS.none, long: 'unknown' },
};

/** "unwind info", "stack scan": the row's bracketed words. */
export function trustWords(trust: FrameTrust): string {
  return SHORT_WORDS[trust];
}
