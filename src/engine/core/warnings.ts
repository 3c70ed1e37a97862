// What went wrong while reading but was survived. A warning's kind is one of a closed set, so
// a detector or a test matches it by value; its message is for people and may say anything.
import { z } from 'zod';

export const WarningKind = z.enum([
  // A bound was hit (docs/limits.md lists each).
  'cap-count',
  'cap-frames',
  'cap-scan',
  'cap-locks',
  'cap-size',
  'cap-string',
  'cap-strings',
  'cap-text-size',
  'cap-threads',
  'cap-time',
  // The report's own bound (report/report-size.ts).
  'cap-report',
  // Caches of parsed images and symbol files reached their byte bound (docs/limits.md).
  'cap-cache',
  // The minidump container and its streams.
  'header-version',
  'dump-truncated',
  'nothing-read',
  'stream-corrupt',
  'stream-duplicate',
  // Issue 12 (Corrupt Dump): the directory's streams claim the same bytes, or a list's count
  // is more than its own stream (not the file) can hold.
  'stream-overlap',
  'stream-count',
  'stream-truncated',
  'stream-unreadable',
  'stream-internal-error',
  'thread-unreadable',
  'thread-internal-error',
  'string-unreadable',
  'misc-info-size',
  'module-unnamed',
  'module-overlap',
  'codeview-corrupt',
  'codeview-unreadable',
  'crashpad-corrupt',
  'exception-parameters',
  'context-flags',
  'memory-overlap',
  'memory-range-corrupt',
  'memory-truncated',
  'memory-missing',
  'stack-unreadable',
  // Issue 12 — wait chains: a waiting thread whose lock or handle did not resolve (why, in the message).
  'wait-unresolved',
  // Module images (PE) and the stack walk.
  'image-mismatch',
  'pe-image',
  'pe-debug',
  'pe-exports',
  'pe-pdata',
  // Symbol files (PDB, Breakpad .sym): one that cannot be read at all, one read in part (a
  // damaged record, a bound), one that belongs to another build of the module.
  'symbols-unreadable',
  'symbols-partial',
  'symbols-mismatch',
  'unwind-chain',
  'unwind-info',
  // WOW64: the 32-bit side of a 64-bit dump.
  'wow64-context',
  'wow64-layout-fallback',
  'wow64-machine',
  'wow64-sp-outside-stack',
  'wow64-teb32-mismatch',
  'wow64-teb32-missing',
  'wow64-teb32-stack',
  'wow64-teb32-unconfirmed',
  // Debugger text.
  'text-truncated',
  'line-too-long',
  'kernel-output',
  'stack-thread-unknown',
]);
export type WarningKind = z.infer<typeof WarningKind>;

export const Warning = z.object({
  kind: WarningKind,
  message: z.string(),
});
export type Warning = z.infer<typeof Warning>;
