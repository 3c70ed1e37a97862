// Where the CLI writes: the process's streams, or a test's arrays.
import { visibleText } from '../render/untrusted-text.ts';
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when stdout can take more (a slow pipe slows the run instead of filling memory). */
  drain?: () => Promise<void> | void;
  /** Where a progress bar may be drawn (drawn only when it is a terminal). */
  progressStream?: { isTTY?: boolean; columns?: number; write(text: string): unknown };
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  // An error line may quote a file name or a string from the dump: nothing raw reaches the terminal.
  stderr: (t) => process.stderr.write(`${visibleText(t)}\n`),
  drain: () =>
    process.stdout.writableNeedDrain ? new Promise<void>((resolve) => process.stdout.once('drain', () => resolve())) : undefined,
  progressStream: process.stderr,
};
