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
    key: "/^\\s{0,8}([A-Z][A-Z0-9_]*(?:\\.[A-Za-z0-9_]+)*):(?:\\s+(.*)|\\s*)$/",
    where: "src/engine/windbg-text/analyze-v.ts:32",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'A:\\n' + '\\t'.repeat(54773) + '0\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^(?:\\(([A-Z0-9_]+)\\)\\s*)?(?:0x)?([0-9a-f]{1,8})(?:\\s+-\\s+(.*))?$/i",
    where: "src/engine/windbg-text/analyze-v.ts:42",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'0\\t-\\t' + '\\t'.repeat(54773) + '\\n-\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s+Key\\s*:\\s*(.+)$/",
    where: "src/engine/windbg-text/analyze-v.ts:79",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'\\nKey:' + '\\t'.repeat(54773) + ':\\nK'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s+Value\\s*:\\s*(.*)$/",
    where: "src/engine/windbg-text/analyze-v.ts:84",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'\\tValue:' + '\\t'.repeat(54773) + 'l\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/ Version .*$/",
    where: "src/engine/windbg-text/banner-facts.ts:39",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "' Version '.repeat(18258) + '\\n Version '",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^(Windows\\b.*?) Version (\\d{1,9})(?: \\(([^)]*)\\))? (MP|UP)(?: \\((\\d{1,9}) procs\\))? (Free|Checked) (.+)$/",
    where: "src/engine/windbg-text/banner.ts:75",
    verdict: "vulnerable: 2nd degree polynomial (fuzz)",
    attack: "'Windows)' + ' Version 0 ( '.repeat(15192)",
    finding: "F3: the probe's OS-line recipe",
  },
  {
    key: "/^((?:User|Kernel|Mini Kernel)[\\w ]*Dump File[\\w ]*?):\\s*(.*)$/",
    where: "src/engine/windbg-text/banner.ts:84",
    verdict: "vulnerable: 3rd degree polynomial",
    attack: "'User' + 'Dump File'.repeat(966) + ':' + ' '.repeat(966) + 'Dump File:\\n'",
    finding: "F3: the probe's dump-type recipe",
  },
  {
    key: "/^Comment:\\s*(.+)$/",
    where: "src/engine/windbg-text/banner.ts:97",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Comment:' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^Product:\\s*(.+)$/",
    where: "src/engine/windbg-text/banner.ts:114",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Product:' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^(?:Edition build lab|Built by):\\s*(.+)$/",
    where: "src/engine/windbg-text/banner.ts:115",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Built by:' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^Machine Name:\\s*(.*)$/",
    where: "src/engine/windbg-text/banner.ts:121",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Machine Name:' + ' '.repeat(54773) + 'n\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^Debug session time:\\s*(.+)$/",
    where: "src/engine/windbg-text/banner.ts:122",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Debug session time:' + ' '.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^System Uptime:\\s*(.+)$/",
    where: "src/engine/windbg-text/banner.ts:123",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'System Uptime:' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^Process Uptime:\\s*(.+)$/",
    where: "src/engine/windbg-text/banner.ts:124",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Process Uptime:' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\(([0-9a-f]{1,8})\\.([0-9a-f]{1,8})\\):\\s+(.+?)\\s+-\\s+code\\s+([0-9a-f]{1,8})\\s+\\((.*)\\)\\s*$/i",
    where: "src/engine/windbg-text/exception-line.ts:18",
    verdict: "unknown: timeout",
    finding: "F3: the probe's event-line recipe (cubic with wide spaces)",
  },
  {
    key: "/^Subcode:\\s+(.+)$/",
    where: "src/engine/windbg-text/exr.ts:44",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'Subcode:\\t' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s+(Type|Message)\\s+:\\s+(.+)$/",
    where: "src/engine/windbg-text/exr.ts:50",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'\\tType\\t:\\n' + '\\t'.repeat(54773) + '\\nType\\n:\\nM'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s*CritSec\\s+(.*?)\\s*\\bat\\s+((?:0x)?[0-9a-f`]{1,17})\\s*$/i",
    where: "src/engine/windbg-text/locks.ts:64",
    verdict: "vulnerable: 3rd degree polynomial",
    attack: "'CRITSEC\\n' + '\\t'.repeat(1651) + '\\t`' + '\\t'.repeat(1651)",
    finding: "F3: a line reader (cubic: CritSec + wide spaces)",
  },
  {
    key: "/^\\s*([0-9a-f]{8}(?:`[0-9a-f]{8})?|[0-9a-f]{16})\\s+([0-9a-f]{8}(?:`[0-9a-f]{8})?|[0-9a-f]{16})\\s+(\\S+)(.*)$/i",
    where: "src/engine/windbg-text/module-list.ts:31",
    verdict: "vulnerable: 2nd degree polynomial (fuzz)",
    attack: "'00000000\\n00000000\\n\\x00' + '0\\x00'.repeat(38730) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\(([^)]*)\\)\\s*(.*)$/",
    where: "src/engine/windbg-text/module-list.ts:43",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'()' + '\\t'.repeat(54773) + '\\x00\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s{2,}([A-Za-z][A-Za-z ]*?):\\s*(.*)$/",
    where: "src/engine/windbg-text/module-list.ts:68",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'\\t A:' + ' '.repeat(54773) + '  A:\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/([^\\\\/]+\\.pdb)[\\\\/]([0-9A-F]{33,40})[\\\\/][^\\\\/]+\\.pdb$/i",
    where: "src/engine/windbg-text/module-list.ts:91",
    verdict: "vulnerable: 2nd degree polynomial (fuzz)",
    attack: "'D' + '.B'.repeat(38730) + '/'",
    finding: "F4: pdbOf runs it on every lm row, after the line loop",
  },
  {
    key: "/^Effective machine:\\s*(.*)$/i",
    where: "src/engine/windbg-text/prompt.ts:59",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'EFFECTIVE MACHINE:' + ' '.repeat(54773) + 'E\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s*(?:([.#])\\s*)?(\\d{1,4})\\s+id:\\s+([0-9a-f]{1,8})\\s+(?:examine|attach|create|child)\\b\\s*(?:name:\\s+(.+))?$/i",
    where: "src/engine/windbg-text/session-lines.ts:12",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'0\\tID:\\nA\\tCHILD\\tNAME:\\t' + '\\t'.repeat(54773) + '\\tCHILD\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s*Last event:\\s+([0-9a-f]{1,8})\\.([0-9a-f]{1,8}):\\s+(.*)$/i",
    where: "src/engine/windbg-text/session-lines.ts:19",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'LAST EVENT: 0.0:\\t' + ' '.repeat(54773) + 'LAST EVENT:\\nA.E: '",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s*Last(Error|Status)Value:\\s+(.+)$/",
    where: "src/engine/windbg-text/session-lines.ts:42",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'LastErrorValue:\\t' + '\\t'.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s*(Kernel|User) time:\\s+(.+)$/",
    where: "src/engine/windbg-text/session-lines.ts:56",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'User time:\\n' + ' '.repeat(54773) + '\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^\\s*WARNING:\\s+(.*(?:Following frames may be wrong|outside normal stack bounds|Stack unwinding can be inaccurate)\\.?)\\s*$/",
    where: "src/engine/windbg-text/stack-line.ts:17",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'WARNING:\\t' + ' '.repeat(54773) + 'f'",
    finding: "F3: a line reader (wide spaces before a line separator)",
  },
  {
    key: "/^~\\s*(\\d{1,9}|~\\[[0-9a-fx]{1,10}\\]|[#*.])\\s*(e\\s+)?(.*)$/i",
    where: "src/engine/windbg-text/thread-book.ts:20",
    verdict: "vulnerable: 2nd degree polynomial",
    attack: "'~#E\\t' + '\\t'.repeat(54773) + '#\\n'",
    finding: "F3: a line reader (wide spaces before a line separator)",
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
