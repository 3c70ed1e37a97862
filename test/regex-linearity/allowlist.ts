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

export const SUPER_LINEAR_ALLOWLIST: AllowedRegex[] = [
  {
    key: "/^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*$/",
    where: "src/engine/minidump/linux-streams.ts:36",
    verdict: "vulnerable: 3rd degree polynomial",
    attack: "'A=' + '\\t'.repeat(1651) + '\\tA' + '\\t'.repeat(1651) + '\\n='",
    finding: "F3 (same class): text lines of a minidump's Linux streams",
  },
  {
    key: "/^([0-9a-fA-F]+)-([0-9a-fA-F]+)\\s+(\\S{4})\\s+([0-9a-fA-F]+)\\s+(\\S+)\\s+(\\d+)\\s*(.*)$/",
    where: "src/engine/minidump/linux-streams.ts:78",
    verdict: "unknown: timeout",
    finding: "F3 (same class): text lines of a minidump's Linux streams",
  },
  {
    key: "/^\\s*(WARNING|ERROR):.*$/m",
    where: "src/render/windbg.tmLanguage.json:/repository/warning/match",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'\\t' + '\\n\\t'.repeat(38730) + 'O\\nERROR:'",
    finding: "F5: colours debugger output on the page's main thread",
  },
  {
    key: "/^([.# ]\\s*\\d+)\\s+(Id:\\s+[0-9a-f]+\\.[0-9a-f]+)(.*)$/m",
    where: "src/render/windbg.tmLanguage.json:/repository/thread-header/match",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "' \\n'.repeat(38730) + ' Id:\\n0.a\\n 0 Id: 0.0'",
    finding: "F5: colours debugger output on the page's main thread",
  },
  {
    key: "/^\\s*(#\\s+)?(Child-SP|ChildEBP)\\b.*$/m",
    where: "src/render/windbg.tmLanguage.json:/repository/column-header/match",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'\\n'.repeat(54773) + '-\\nChild-SP'",
    finding: "F5: colours debugger output on the page's main thread",
  },
  {
    key: "/\\b([A-Za-z_][\\w.]*)(!)([\\w:~<>$@?`']+)?(\\+0x[0-9a-f]+)?/m",
    where: "src/render/windbg.tmLanguage.json:/repository/call-site/match",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'0x1.A.'.repeat(22361) + '0x0$x!'",
    finding: "F5: colours frames on the page's main thread (mod!a.a.a… lines)",
  },
];

/** RegExp constructions whose pattern is not a literal, and where their patterns are checked instead. */
export const DYNAMIC_REGEXES: { file: string; argument: string; why: string }[] = [
  {
    file: 'highlight.ts',
    argument: 'v',
    why: 'compiles the TextMate grammar (src/render/windbg.tmLanguage.json); each of its patterns is a grammar site of the check',
  },
];
