// Finding F3 of the hostile-input probe (issue 15), generalised: for every line-level reader of
// WinDbg text (src/engine/windbg-text), a line that starts the way that reader's prefix accepts
// and then repeats a unit that keeps its pattern half-matched, so a backtracking pattern pays
// once per start position or per split of the run. The probe's three cases are here under
// their own ids (event-line, dump-type, os-line); the rest cover every other reader the line
// dispatcher calls, and every line can be made with any unit of HOSTILE_UNITS too.
//
// Why the units: readers see a line after normaliseLine (windbg-text/lines.ts), which cuts runs
// of spaces and tabs to 16 and strips C0 controls. It does not touch the other characters `\s`
// matches (U+2000–U+200A, U+3000, U+1680, U+205F) or U+2028/U+2029, which `.` does not match:
// a run of the first, then a letter and one of the second, is the input a `\s*(.*)$` pattern
// splits in n² ways. Lines are at most 64 Ki characters (the reader's cut), the default here.

/** The reader's line cut (DEFAULT_LIMITS.maxLineLength): nothing longer reaches a parser. */
export const MAX_LINE = 64 * 1024;

export interface LineShape {
  /** Stable id for test names and fuzz descriptions. */
  id: string;
  /** The reader it aims at: file under src/engine/windbg-text and what in it. */
  reader: string;
  /** Lines before it that put the reader in the state where it sees the line. */
  context: string[];
  /** What the line starts with. */
  prefix: string;
  /** Repeated to fill the line. */
  unit: string;
  /** Ends the line (often a character the pattern's tail rejects). */
  suffix?: string;
  /** Nesting: as many of these as units, before the suffix (balanced brackets). */
  close?: string;
  /** The finding of issue 15 this shape was reported as, when it was. */
  finding?: string;
}

/** Whitespace that `\s` matches and the reader's blank-run cut leaves alone. */
export const WIDE_SPACE = '\u2000';
/**
 * A line separator (`.` does not match it; the reader does not split on it) between two
 * letters: `\s` matches a separator that follows blanks, and trimEnd removes one at the end.
 */
export const LINE_SEPARATOR = 'x\u2028x';

/** Units any shape can be filled with: what the patterns' quantifiers are made of. */
export const HOSTILE_UNITS = [WIDE_SPACE, '\u3000', 'a', '0', 'a.', '.', '`', '+0x', '(', ' (', '!', '\\', ' - ', ':'] as const;

const EVENT = '(1a2c.3b4): Access violation - code c0000005 (first/second chance not available)';
const LM = ['0:000> lm', 'start    end        module name'];
const KV = ['0:000> kv', 'ChildEBP RetAddr  Args to Child'];
const KN64 = ['0:000> kn', ' # Child-SP          RetAddr               Call Site'];
const ANALYZE = ['0:000> !analyze -v'];
/** A value field run: wide spaces, then a character `.` cannot match. */
const RUN = { unit: WIDE_SPACE, suffix: LINE_SEPARATOR };

export const LINE_SHAPES: readonly LineShape[] = [
  // prompt.ts, line-dispatch.ts: the prompt and its command.
  { id: 'prompt', reader: 'prompt.ts: parsePrompt', context: [], prefix: '0:000> ', unit: 'k ' },
  { id: 'prompt-kd', reader: 'prompt.ts: parsePrompt (kd)', context: [], prefix: '0: kd> ', unit: 'k ' },
  { id: 'thread-command', reader: 'thread-book.ts: thread command (~*e k)', context: [], prefix: '0:000> ~*e', ...RUN },
  { id: 'effmach-command', reader: 'prompt.ts: effmachSwitch (.effmach)', context: [], prefix: '0:000> .effmach ', unit: 'x' },
  { id: 'effective-machine', reader: 'prompt.ts: effmachSwitch (Effective machine:)', context: [], prefix: 'Effective machine:', ...RUN },
  // registers.ts: only lines under 512 characters are tokenised; longer ones must still be cheap.
  { id: 'registers', reader: 'registers.ts: parseRegisterLine', context: [], prefix: 'eax=00000000 ', unit: 'ebx=00000000 ' },
  { id: 'register-after-event', reader: 'exception-facts.ts: readEventIp (register line)', context: [EVENT], prefix: 'eax=0', unit: '0' },
  // exception-line.ts, exception-facts.ts, session-lines.ts, exr.ts: the event and its record.
  { id: 'event-line', reader: 'exception-line.ts: EVENT', context: [], prefix: '(1.2): x', unit: ' - code 1 (', finding: 'F3' },
  { id: 'event-line-space', reader: 'exception-line.ts: EVENT', context: [], prefix: '(1.2):', unit: WIDE_SPACE, suffix: '-' },
  { id: 'last-event', reader: 'session-lines.ts: parseLastEvent', context: [], prefix: 'Last event: 1.2: x', unit: ' - code 1 (' },
  { id: 'last-event-space', reader: 'session-lines.ts: parseLastEvent', context: [], prefix: 'Last event: 1.2:', ...RUN },
  { id: 'event-disassembly', reader: 'exception-line.ts: parseDisassembly (after the event line)', context: [EVENT], prefix: '00401000 90', unit: ' a', suffix: LINE_SEPARATOR },
  { id: 'event-label', reader: 'exception-line.ts: parseSymbolLabel (after the event line)', context: [EVENT], prefix: 'App!', unit: 'a [', suffix: ']' },
  { id: 'label', reader: 'exception-line.ts: parseSymbolLabel (a line ending in a colon)', context: [], prefix: 'App!', unit: 'a.', suffix: ':' },
  { id: 'label-offset', reader: 'exception-line.ts: parseSymbolLabel (module+offset)', context: [], prefix: 'App', unit: '+0x1', suffix: ':' },
  { id: 'exr-address', reader: 'exr.ts: ExceptionAddress', context: [], prefix: 'ExceptionAddress: 00401000 (', unit: '(a', suffix: LINE_SEPARATOR },
  { id: 'exr-code', reader: 'exr.ts: ExceptionCode', context: [], prefix: 'ExceptionCode: c0000005 (', unit: WIDE_SPACE, suffix: LINE_SEPARATOR },
  { id: 'exr-parameter', reader: 'exr.ts: Parameter[n]', context: [], prefix: 'Parameter[0]: ', unit: '0`' },
  { id: 'exr-attempt', reader: 'exr.ts: Attempt to …', context: [], prefix: 'Attempt to read from address ', unit: '0`' },
  { id: 'exr-subcode', reader: 'exr.ts: Subcode', context: [], prefix: 'Subcode:', ...RUN },
  { id: 'exr-cpp', reader: 'exr.ts: parseExrCppLine (after .exr)', context: ['0:000> .exr -1'], prefix: '  Type', unit: WIDE_SPACE, suffix: `:${LINE_SEPARATOR}` },
  // banner.ts: the lines of a dump's banner.
  { id: 'debugger-version', reader: 'banner.ts: debugger line', context: [], prefix: 'Microsoft (R) Windows Debugger Version ', unit: 'a ' },
  { id: 'dump-file', reader: 'banner.ts: Loading Dump File', context: [], prefix: 'Loading Dump File [', unit: ']', suffix: 'x' },
  { id: 'dump-type', reader: 'banner.ts: dump type', context: [], prefix: 'User', unit: ' Dump File', finding: 'F3' },
  { id: 'dump-type-space', reader: 'banner.ts: dump type', context: [], prefix: 'User Dump File:', ...RUN },
  { id: 'comment', reader: 'banner.ts: Comment', context: [], prefix: 'Comment:', ...RUN },
  { id: 'comment-quoted', reader: 'banner.ts: Comment (quoted)', context: [], prefix: "Comment: '", unit: "'", suffix: LINE_SEPARATOR },
  { id: 'os-line', reader: 'banner.ts: OS_LINE', context: [], prefix: 'Windows', unit: ' Version 1 (', finding: 'F3' },
  { id: 'os-line-kernel', reader: 'banner-facts.ts: OS name without " Version …"', context: [], prefix: 'Windows 10 Version 1 MP (8 procs) Free x64', unit: ' Version ', suffix: LINE_SEPARATOR },
  { id: 'product', reader: 'banner.ts: Product', context: [], prefix: 'Product:', ...RUN },
  { id: 'build-lab', reader: 'banner.ts: Built by', context: [], prefix: 'Built by:', ...RUN },
  { id: 'machine-name', reader: 'banner.ts: Machine Name', context: [], prefix: 'Machine Name:', ...RUN },
  { id: 'session-time', reader: 'banner.ts: Debug session time', context: [], prefix: 'Debug session time:', ...RUN },
  { id: 'system-uptime', reader: 'banner.ts: System Uptime', context: [], prefix: 'System Uptime:', ...RUN },
  { id: 'process-uptime', reader: 'banner.ts: Process Uptime (parseUptime)', context: [], prefix: 'Process Uptime: 1 days ', unit: '0' },
  { id: 'overlap', reader: 'banner.ts: WARNING … overlaps …', context: [], prefix: 'WARNING: a overlaps ', unit: 'a' },
  // analyze-v.ts: keys of !analyze -v, inside its block and loose.
  { id: 'analysis-banner', reader: 'analyze-v.ts: isAnalysisBanner', context: [], prefix: '*', unit: ' Exception Analysis' },
  { id: 'analysis-key', reader: 'analyze-v.ts: parseAnalysisKey (inside !analyze)', context: ANALYZE, prefix: 'FAULTING_IP:', ...RUN },
  { id: 'analysis-key-dotted', reader: 'analyze-v.ts: parseAnalysisKey (dotted key)', context: ANALYZE, prefix: 'A', unit: '.a', suffix: LINE_SEPARATOR },
  { id: 'loose-key', reader: 'analyze-v.ts: parseAnalysisKey (outside !analyze)', context: [], prefix: 'FAILURE_BUCKET_ID:', ...RUN },
  { id: 'analysis-kv-key', reader: 'analyze-v.ts: Key : line', context: ANALYZE, prefix: '    Key', unit: WIDE_SPACE, suffix: `:${LINE_SEPARATOR}` },
  { id: 'analysis-kv-value', reader: 'analyze-v.ts: Value : line', context: [...ANALYZE, '    Key  : Analysis.CPU.mSec'], prefix: '    Value', unit: WIDE_SPACE, suffix: `:${LINE_SEPARATOR}` },
  { id: 'error-code', reader: 'analyze-v.ts: parseErrorCode (ERROR_CODE)', context: ANALYZE, prefix: 'ERROR_CODE: (NTSTATUS) 0xc0000005 -', ...RUN },
  { id: 'control-transfer', reader: 'analyze-v.ts: parseControlTransfer', context: ANALYZE, prefix: 'LAST_CONTROL_TRANSFER:  from ', unit: '0`' },
  { id: 'analysis-continuation', reader: 'analyze-v.ts: multi-line value', context: [...ANALYZE, 'FAULTING_IP: '], prefix: 'App!Crash+0x17 ', unit: 'a ' },
  // stack-line.ts, frame-line.ts, thread-stacks.ts: stacks in every k layout.
  { id: 'frame-dotted', reader: 'frame-line.ts: x86 frame, dotted symbol', context: KV, prefix: '0012ff00 00401000 mod!', unit: 'a.', finding: 'F5' },
  { id: 'frame-offsets', reader: 'frame-line.ts: x86 frame, offsets', context: KV, prefix: '0012ff00 00401000 mod!f', unit: '+0x1' },
  { id: 'frame-args', reader: 'frame-line.ts: x86 frame, argument columns', context: KV, prefix: '0012ff00 00401000 ', unit: '00000000 ' },
  { id: 'frame-parens', reader: 'frame-line.ts: trailing (FPO: …) groups', context: KV, prefix: '0012ff00 00401000 00000000 00000000 00000000 mod!f+0x1 ', unit: '(FPO: ' },
  { id: 'frame-source', reader: 'frame-line.ts: trailing [file @ line]', context: KV, prefix: '0012ff00 00401000 mod!f+0x1 [', unit: '@ 1 [', suffix: ']' },
  { id: 'frame-arglist', reader: 'stack-line.ts: kP argument list', context: KV, prefix: '0012ff00 00401000 mod!f(', unit: 'int a, ' },
  { id: 'frame-nested-parens', reader: 'frame-line.ts: stripArgList (nested argument lists)', context: KV, prefix: '0012ff00 00401000 mod!f', unit: '(', close: ')' },
  { id: 'frame-nested-templates', reader: 'frame-line.ts: parseCallSite (nested templates)', context: KV, prefix: '0012ff00 00401000 mod!f', unit: '<a', close: '>', suffix: '+0x1' },
  { id: 'frame-operator', reader: 'frame-line.ts: operator() symbols', context: KV, prefix: '0012ff00 00401000 mod!operator', unit: ' ()' },
  { id: 'frame-x64', reader: 'frame-line.ts: x64 numbered frame', context: KN64, prefix: '00 00000000`0012ff00 00000000`00401000 mod!', unit: 'a.' },
  { id: 'frame-calls-only', reader: 'frame-line.ts: kc frame', context: ['0:000> kc', ' # Call Site'], prefix: '00 mod!', unit: 'a.' },
  { id: 'stack-warning', reader: 'stack-line.ts: parseStackWarning', context: KV, prefix: 'WARNING:', ...RUN },
  { id: 'symbol-noise', reader: 'stack-line.ts: SYMBOL_NOISE', context: KV, prefix: '*** ', unit: 'ERROR: ' },
  { id: 'thread-header', reader: 'thread-stacks.ts: HEADER', context: ['0:000> ~*k'], prefix: '.  0  Id: 1a2c.3b4 Suspend: 1 Teb: ', unit: '0`' },
  { id: 'thread-header-name', reader: 'thread-stacks.ts: HEADER (thread name)', context: ['0:000> ~*k'], prefix: '.  0  Id: 1a2c.3b4 Suspend: 1 Teb: 00000000`7efdb000 Unfrozen "', unit: '"', suffix: LINE_SEPARATOR },
  { id: 'priority', reader: 'thread-stacks.ts: parsePriorityLine', context: ['0:000> ~', '.  0  Id: 1a2c.3b4 Suspend: 1 Teb: 00000000`7efdb000 Unfrozen'], prefix: '      Priority:', unit: ' 0' },
  { id: 'stack-header', reader: 'thread-stacks.ts: parseStackHeader', context: ['0:000> k'], prefix: ' # ChildEBP RetAddr', unit: ' Args to Child' },
  // locks.ts: !locks and !cs output.
  { id: 'critsec', reader: 'locks.ts: CritSec … at …', context: ['0:000> !locks'], prefix: 'CritSec', ...RUN },
  { id: 'critical-section', reader: 'locks.ts: Critical section = …', context: ['0:000> !cs -l -o'], prefix: 'Critical section   = 0x1 (', unit: '(', suffix: LINE_SEPARATOR },
  { id: 'lock-field', reader: 'locks.ts: FIELD_LINE', context: ['0:000> !locks'], prefix: 'LockCount', unit: WIDE_SPACE, suffix: 'x y' },
  // module-list.ts, module-rows.ts: lm, lmv, ModLoad.
  { id: 'lm-pdb-path', reader: 'module-list.ts: pdbOf', context: LM, prefix: '00400000 00500000   m   (pdb symbols)   ', unit: 'a', suffix: '.pdb', finding: 'F4' },
  { id: 'lm-row', reader: 'module-list.ts: ROW', context: LM, prefix: '00400000 00500000   m', unit: ' a' },
  { id: 'lm-status', reader: 'module-list.ts: symbol status letters', context: LM, prefix: '00400000 00500000   m   ', unit: 'C ', suffix: 'x' },
  { id: 'lm-symbols', reader: 'module-list.ts: (symbols) column', context: LM, prefix: '00400000 00500000   m   (', unit: WIDE_SPACE, suffix: `)${LINE_SEPARATOR}` },
  { id: 'lm-detail', reader: 'module-list.ts: parseModuleDetail (lmv)', context: [...LM, '00400000 00500000   m   (deferred)'], prefix: '    Image', unit: ' path', suffix: `:${LINE_SEPARATOR}` },
  { id: 'lm-timestamp', reader: 'module-list.ts: linkTime (lmv Timestamp)', context: [...LM, '00400000 00500000   m   (deferred)'], prefix: '    Timestamp:        ', unit: '(0', suffix: ')' },
  { id: 'modload', reader: 'module-list.ts: parseModLoad', context: [], prefix: 'ModLoad: 00400000 00500000   ', unit: 'a', suffix: '.pdb' },
  { id: 'unloaded-header', reader: 'module-list.ts: isUnloadedHeader', context: LM, prefix: 'Unloaded modules:', unit: ' ' },
  // session-lines.ts: |, !gle, .time, !runaway, !wow64exts.sw.
  { id: 'process-line', reader: 'session-lines.ts: parseProcessLine', context: [], prefix: '.  0\tid: 5bc4\texamine\tname:', ...RUN },
  { id: 'last-error', reader: 'session-lines.ts: parseLastError', context: [], prefix: 'LastErrorValue:', ...RUN },
  { id: 'process-time', reader: 'session-lines.ts: parseProcessTime', context: [], prefix: '  Kernel time:', ...RUN },
  { id: 'runaway-row', reader: 'session-lines.ts: parseRunawayRow', context: ['0:000> !runaway', ' User Mode Time', '  Thread       Time'], prefix: '   0:49a0      ', unit: '0 days ' },
  { id: 'wow-switch', reader: 'session-lines.ts: parseWowSwitch', context: [], prefix: 'Switched to Host', unit: ' mode' },
];

export interface LongLineOptions {
  /** Characters in the line (default MAX_LINE). */
  length?: number;
  /** Fill with this instead of the shape's own unit. */
  unit?: string;
  /** End with this instead of the shape's own suffix. */
  suffix?: string;
}

/** The shape's line: prefix, the unit repeated, suffix; `length` characters at most. */
export function longLine(shape: LineShape, options: LongLineOptions = {}): string {
  const length = options.length ?? MAX_LINE;
  const unit = options.unit ?? shape.unit;
  const suffix = options.suffix ?? shape.suffix ?? '';
  const room = Math.max(0, length - shape.prefix.length - suffix.length);
  const close = options.unit === undefined ? (shape.close ?? '') : '';
  const n = Math.floor(room / (unit.length + close.length));
  return shape.prefix + unit.repeat(n) + close.repeat(n) + suffix;
}

export interface LongLineTextOptions extends LongLineOptions {
  /** How many such lines (default 1). */
  lines?: number;
}

/** A text: the shape's context, then `lines` long lines of it. */
export function longLineText(shape: LineShape, options: LongLineTextOptions = {}): string {
  const line = longLine(shape, options);
  const out = [...shape.context];
  for (let i = 0; i < (options.lines ?? 1); i++) out.push(line);
  return `${out.join('\n')}\n`;
}

export function lineShape(id: string): LineShape {
  const s = LINE_SHAPES.find((x) => x.id === id);
  if (!s) throw new Error(`no line shape ${id}`);
  return s;
}
