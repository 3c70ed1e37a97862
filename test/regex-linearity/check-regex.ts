// One pattern through recheck (makenowjust-labs/recheck, MIT): automata theory where the
// pattern allows it, seeded fuzzing where it does not, and an attack string to show for any
// super-linear verdict. Always its pure JavaScript build: the same verdict on every platform,
// no native binary or JVM started from a test. Parameters are fixed (seed 0, recheck's
// default) so a verdict is a function of the pattern, the flags and the recheck version.
import { createRequire } from 'node:module';
import type { Diagnostics } from 'recheck';

process.env['RECHECK_BACKEND'] = 'pure';
const require = createRequire(import.meta.url);
const recheck = require('recheck') as typeof import('recheck');

export const RECHECK_VERSION = (require('recheck/package.json') as { version: string }).version;

/** A check that has not finished in this long is 'unknown', which fails like 'vulnerable'. */
export const CHECK_TIMEOUT_MS = 10_000;

export interface Verdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** "2nd degree polynomial", "exponential", or why it is unknown ("timeout"). */
  summary: string;
  /** For a vulnerable pattern, recheck's attack string as an expression ("'a'.repeat(31) + '!'"). */
  attack?: string;
}

function verdictOf(d: Diagnostics): Verdict {
  if (d.status === 'safe') return { status: 'safe', summary: d.complexity.summary };
  if (d.status === 'vulnerable') return { status: 'vulnerable', summary: d.complexity.summary, attack: d.attack.pattern };
  return { status: 'unknown', summary: d.error.kind };
}

/**
 * Flags that change what a pattern matches are kept; 'g', 'y' and 'd' change only how a caller
 * resumes and reports matches. (A sticky pattern cannot scan, so ignoring 'y' errs on the safe side.)
 */
export function matchingFlags(flags: string): string {
  return flags.replace(/[gyd]/g, '');
}

export async function checkRegex(source: string, flags: string): Promise<Verdict> {
  return verdictOf(await recheck.check(source, matchingFlags(flags), { timeout: CHECK_TIMEOUT_MS }));
}

/** The key a pattern is known by in the allowlist and the verdict cache: flags that matter, then the source. */
export function regexKey(source: string, flags: string): string {
  return `/${source}/${[...matchingFlags(flags)].sort().join('')}`;
}
