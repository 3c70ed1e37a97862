// `dumpatlas`: parses the command line and runs one command. Each command's code is imported
// only when it runs, so `--version` and `--help` load nothing but this and the argument parser.
// Every failure a user can cause ends as one line on stderr and exit status 2; a stack trace
// never reaches the terminal.
import { ENGINE_VERSION } from '../engine/core/version.ts';
import { parseArgs, USAGE } from './args.ts';
import { processIo, type CliIo } from './io.ts';

export type { CliIo } from './io.ts';

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim().replace(/^internal error: /, '');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr(`dumpatlas: ${message(err)}`);
    return 2;
  }
  if (args.command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (args.command === 'version') {
    io.stdout(ENGINE_VERSION);
    return 0;
  }
  try {
    if (args.command === 'merge') {
      const { runMerge } = await import('./merge-command.ts');
      return await runMerge(args, io);
    }
    const { runAnalyze } = await import('./analyze-command.ts');
    return await runAnalyze(args, io);
  } catch (err) {
    // Per-file errors are caught where files are read; this is a bug outside them, still one line.
    const { describeError } = await import('../engine/core/errors.ts');
    io.stderr(`dumpatlas: ${describeError(err).message}`);
    return 2;
  }
}
