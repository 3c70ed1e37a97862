// What a dump writer's comment says of the stored exception's chance. The minidump format has no
// field for it; the tools that write first-chance dumps say so in the comment stream (procdump:
// "*** First chance exception: C0000005.ACCESS_VIOLATION", "*** Unhandled exception: …"; our
// debugdump: "first-chance exception 0x… before the process's own handlers ran", or
// "second-chance exception …"), the only place a minidump, or a debugger log of one, says
// whether a handler could still have taken the exception. A comment that says neither, or both,
// says nothing: null.

export type ExceptionChance = 'first' | 'second';

/** Characters of the comment looked at: the tools put the line at the start. */
const COMMENT_WINDOW = 4096;

const FIRST = /\bfirst[- ]chance\b/i;
const SECOND = /\bsecond[- ]chance\b|\bunhandled exception\b/i;

export function chanceFromComment(comment: string | null): ExceptionChance | null {
  if (!comment) return null;
  const text = comment.slice(0, COMMENT_WINDOW);
  const first = FIRST.test(text);
  const second = SECOND.test(text);
  if (first === second) return null;
  return first ? 'first' : 'second';
}
