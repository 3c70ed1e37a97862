// What a dump writer's comment says of the stored exception's chance. procdump writes the event
// that triggered it into the dump's comment ("*** Unhandled exception: C0000005.ACCESS_VIOLATION",
// "*** First chance exception: E06D7363.CPP_EH_EXCEPTION"; our debugdump writes "first-chance
// exception …"), the only place a minidump, or a debugger log of one, says whether a handler
// could still have taken the exception.

export type ExceptionChance = 'first' | 'second';

export function chanceFromComment(comment: string | null): ExceptionChance | null {
  if (!comment) return null;
  if (/\bUnhandled exception\b/i.test(comment)) return 'second';
  if (/\bfirst[- ]chance exception\b/i.test(comment)) return 'first';
  return null;
}
