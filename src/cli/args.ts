// Command-line parsing for `dumpatlas`, kept apart from what the commands do.

export interface AnalyzeArgs {
  command: 'analyze';
  files: string[];
  json: boolean;
  imagesDir: string | null;
  /** `--symbols` values as given (each a ';'-separated list; see symbol-store.ts). */
  symbols: string[];
  /** `--force-symbols`: use symbol files whose identity does not match their module. */
  forceSymbols: boolean;
}
export type CliArgs = AnalyzeArgs | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage: dumpatlas analyze <file…> [--json] [--images DIR] [--symbols PATH…] [--force-symbols]

Analyzes Windows minidumps (.dmp) and WinDbg/CDB text output (.txt/.log) against the
Dump Atlas pattern catalog. The kind of each file is told by its content.

  --json         print one JSON report per file (one object per line)
  --images DIR   .exe/.dll files of the crashed process, used to unwind and name frames
  --symbols PATH symbol files (.pdb, Breakpad .sym) or folders of them, plain or in
                 symbol-store layout (name.pdb/<id>/name.pdb, name.pdb/<id>/name.sym);
                 repeatable, and ';'-separated like _NT_SYMBOL_PATH (local paths only)
  --force-symbols  use a symbol file even when its identity does not match the module
  -h, --help     this text
  --version      the engine version

Exit status: 0 when every file was analysed (with or without findings), 2 when a file
could not be read (one line per file on stderr; the other files are still analysed).`;

export function parseArgs(argv: string[]): CliArgs {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return { command: 'help' };
  if (argv.includes('--version')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command !== 'analyze') throw new Error(`unknown command "${command}" (try: dumpatlas analyze <file…>)`);
  const files: string[] = [];
  let json = false;
  let imagesDir: string | null = null;
  const symbols: string[] = [];
  let forceSymbols = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') json = true;
    else if (a === '--images') {
      const dir = rest[++i];
      if (!dir) throw new Error('--images needs a directory');
      imagesDir = dir;
    } else if (a.startsWith('--images=')) imagesDir = a.slice('--images='.length);
    else if (a === '--symbols') {
      const path = rest[++i];
      if (!path) throw new Error('--symbols needs a file or folder (or a ;-separated list)');
      symbols.push(path);
    } else if (a.startsWith('--symbols=')) symbols.push(a.slice('--symbols='.length));
    else if (a === '--force-symbols') forceSymbols = true;
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new Error('no input files (try: dumpatlas analyze crash.dmp)');
  return { command: 'analyze', files, json, imagesDir, symbols, forceSymbols };
}
