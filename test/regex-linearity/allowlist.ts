// Regexes of src/ that the linearity check (recheck) finds super-linear or cannot decide, each
// with the finding of issue 15 it belongs to. The test passes with these and fails on any other;
// an entry whose pattern is gone from src/ fails it too, so the list only shrinks. The fix of
// issue 15 empties it: rewrite the pattern (or stop it seeing long input), then delete the entry.
// `where` and `attack` are from the day the entry was written, for the person fixing it.

export interface AllowedRegex {
  /** regexKey(source, flags): "/source/flags" with only the flags that change matching. */
  key: string;
  where: string;
  verdict: string;
  attack?: string;
  finding: string;
}

export const SUPER_LINEAR_ALLOWLIST: AllowedRegex[] = [];

/** RegExp constructions whose pattern is not a literal, and where their patterns are checked instead. */
export const DYNAMIC_REGEXES: { file: string; argument: string; why: string }[] = [
  {
    file: 'highlight.ts',
    argument: 'v',
    why: 'compiles the TextMate grammar (src/render/windbg.tmLanguage.json); each of its patterns is a grammar site of the check',
  },
];
