// Issue 12 fact (False Positive Dump): whether the stored exception was at first or second
// chance. The minidump format has no field for it; the tools that write first-chance dumps say
// so in the comment stream (procdump: "*** First chance exception: C0000005.ACCESS_VIOLATION",
// "*** Unhandled exception: …"; our debugdump: "first-chance exception 0x… before the process's
// own handlers ran"). A dump with no such words says nothing either way: null.
import type { ExceptionRecord } from '../../core/dump-model.ts';

/** Characters of the comment looked at: the tools put the line at the start. */
const COMMENT_WINDOW = 4096;

const FIRST = /\bfirst[- ]chance\b/i;
const SECOND = /\bsecond[- ]chance\b|\bunhandled exception\b/i;

/** 'first' or 'second' when the comment says so, and only one of them; else null. */
export function chanceFromComment(comment: string | null): ExceptionRecord['chance'] {
  if (!comment) return null;
  const text = comment.slice(0, COMMENT_WINDOW);
  const first = FIRST.test(text);
  const second = SECOND.test(text);
  if (first === second) return null;
  return first ? 'first' : 'second';
}
