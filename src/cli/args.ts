// Command-line parsing for `dumpatlas`, kept apart from what the commands do (and light: it is
// all `--version` and `--help` load).

export interface AnalyzeArgs {
  command: 'analyze';
  /** Files, folders and glob patterns, as given. */
  inputs: string[];
  json: boolean;
  summary: boolean;
  html: string | null;
  /** Module image files and folders of them, in the order given (`--images`, `;`-separated, repeatable). */
  images: string[];
  /** Symbol files and folders (`--symbols`, `;`-separated, repeatable; see symbol-store.ts). */
  symbols: string[];
  /** `--force-symbols`: use symbol files whose identity does not match their module. */
  forceSymbols: boolean;
  /** Files analysed at once; null = one per CPU core. */
  jobs: number | null;
  progress: boolean;
}

export interface MergeArgs {
  command: 'merge';
  inputs: string[];
  json: boolean;
  html: string | null;
}

export type CliArgs = AnalyzeArgs | MergeArgs | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage: dumpatlas analyze <file|folder|glob>… [--json] [--summary] [--html FILE] [--images PATHS] [--symbols PATHS] [--force-symbols]
       dumpatlas merge <file.ndjson>… [--json] [--html FILE]

Analyzes Windows minidumps (.dmp) and WinDbg/CDB text output (.txt/.log) against the
Dump Atlas pattern catalog, and sorts them into failure buckets (docs/buckets.md). The kind of
each file is told by its content. Folders are searched recursively (only dumps and debugger
logs in them are analysed); quoted globs ("dumps/**/*.dmp") are expanded. Files are analysed
in parallel, one per CPU core.

analyze:
  --json          one JSON line per file as it finishes: its report (with "file", the path
                  as found), or {"file": …, "error": {"kind", "message"}} for a file that
                  could not be read
  --summary       a table of failure buckets (count, patterns, first/last dump time, an
                  example file) instead of one report per file; with --json, one JSON object
  --html FILE     also write a self-contained HTML page: the report of a single file, or the
                  bucket summary of several
  --images PATHS  .exe/.dll files of the crashed process, or folders of them, used to unwind
                  and name frames; ';'-separated like _NT_SYMBOL_PATH, repeatable
  --symbols PATHS symbol files (.pdb, Breakpad .sym) or folders of them, plain or in
                  symbol-store layout (name.pdb/<id>/name.pdb, name.pdb/<id>/name.sym), used to
                  name frames with functions and source lines; ';'-separated, repeatable; local
                  paths only (a symbol server's URL is left out with a note)
  --force-symbols use a symbol file even when its identity does not match the module
  --jobs N        files analysed at once (default: one per CPU core)
  --no-progress   no progress bar (it is drawn on stderr only when stderr is a terminal)

merge:
  Combines the JSON lines of \`analyze --json\` and the summaries of \`analyze --summary --json\`
  (any number of files, in any order and grouping) into one bucket summary: the same as
  analysing all the dumps in one run. --json prints it as JSON, --html FILE writes a page.

  -h, --help      this text
  --version       the engine version

Exit status: 0 when every file was analysed (with or without findings), 2 when a file
could not be read (it is named on stderr, or listed in the summary; the other files are
still analysed).`;

/** `--images a;b --images c` → [a, b, c]; empty entries (a trailing ';') are dropped. */
function pathList(value: string): string[] {
  return value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function optionValue(rest: string[], i: number, name: string, what: string): string {
  const v = rest[i];
  if (v === undefined || (v.startsWith('-') && v !== '-')) throw new Error(`${name} needs ${what}`);
  return v;
}

export function parseArgs(argv: string[]): CliArgs {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return { command: 'help' };
  if (argv.includes('--version')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command !== 'analyze' && command !== 'merge') {
    throw new Error(`unknown command "${command}" (try: dumpatlas analyze <file…>)`);
  }
  const inputs: string[] = [];
  let json = false;
  let summary = false;
  let html: string | null = null;
  const images: string[] = [];
  const symbols: string[] = [];
  let jobs: number | null = null;
  let progress = true;
  let forceSymbols = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.indexOf('=');
    const [name, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, null];
    const value = (what: string): string => inline ?? optionValue(rest, ++i, name, what);
    if (name === '--json') json = true;
    else if (name === '--html') html = value('a file name');
    else if (command === 'analyze' && name === '--summary') summary = true;
    else if (command === 'analyze' && name === '--images') images.push(...pathList(value('a file or folder')));
    else if (command === 'analyze' && name === '--symbols') symbols.push(...pathList(value('a file or folder')));
    else if (command === 'analyze' && name === '--no-progress') progress = false;
    else if (command === 'analyze' && name === '--force-symbols') forceSymbols = true;
    else if (command === 'analyze' && (name === '--jobs' || name === '-j')) {
      const text = value('a number');
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > 1024) throw new Error(`--jobs needs a whole number from 1 to 1024, not "${text}"`);
      jobs = n;
    } else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${name}`);
    else inputs.push(a);
  }
  if (inputs.length === 0) {
    throw new Error(command === 'merge' ? 'no input files (try: dumpatlas merge shard-*.ndjson)' : 'no input files (try: dumpatlas analyze crash.dmp)');
  }
  if (command === 'merge') return { command, inputs, json, html };
  return { command, inputs, json, summary, html, images, symbols, forceSymbols, jobs, progress };
}
