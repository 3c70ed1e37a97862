// What an input could not tell: a closed set of facts, so the report, the page and the
// detectors name and match them by value. A count (how many threads, which line) belongs in
// the warning that goes with the entry, not in the entry.
import { z } from 'zod';

export const Missing = z.enum([
  // Minidump streams that were absent or unreadable.
  'system info',
  'misc info',
  'comment',
  'exception',
  'exception context',
  'memory (Memory64List)',
  'module list',
  'unloaded module list',
  'handle data',
  'memory info list',
  'thread list',
  'thread names',
  'thread info',
  'Crashpad info',
  'assertion info',
  'Linux process status',
  'Linux CPU info',
  // Facts a reader could not find.
  'modules',
  'exception address',
  'os version',
  'registers',
  'stack memory',
  'x86 stacks',
  // Issue 12 — wait chains: a thread waits to enter a critical section the dump could not show validated.
  'critical sections',
  // Work a bound cut short (the matching cap warning says how much).
  'threads past the thread limit',
  'stacks past the time budget',
  'text past the time budget',
  'records past the time budget',
  'list entries past the report limit',
]);
export type Missing = z.infer<typeof Missing>;
