// The CLI's main() run in the test's own process, as a user would call it, with what it prints
// captured: `out` and `err` one entry per line written, `text` the output lines joined.
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  text: string;
}

export async function runCli(argv: string[], io: Pick<CliIo, 'progressStream'> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), ...io });
  return { code, out, err, text: out.join('\n') };
}
