// Breakpad's Linux streams: verbatim copies of /proc and /etc files taken at crash time
// (cpuinfo, self/status, lsb-release, cmdline, environ, maps) kept as bounded text, with small
// parsers for the ones the model uses.
import { readLocation, type StreamContext } from './location.ts';
import { StreamType } from './stream-types.ts';
import type { StreamEntry } from './directory.ts';

/**
 * Bytes of any Linux text stream kept (1 MiB). /proc/cpuinfo of a 128-core machine is ~300 KiB
 * and /proc/self/maps of a big browser ~2 MiB: the cap keeps the first part, with a warning.
 */
export const MAX_LINUX_TEXT_BYTES = 1024 * 1024;

export type LinuxTextKind = 'cpuinfo' | 'proc-status' | 'lsb-release' | 'cmdline' | 'environ' | 'maps';

export const LINUX_TEXT_STREAMS: Readonly<Record<LinuxTextKind, number>> = {
  cpuinfo: StreamType.LinuxCpuInfo,
  'proc-status': StreamType.LinuxProcStatus,
  'lsb-release': StreamType.LinuxLsbRelease,
  cmdline: StreamType.LinuxCmdLine,
  environ: StreamType.LinuxEnviron,
  maps: StreamType.LinuxMaps,
};

const text = new TextDecoder('utf-8');

export async function readLinuxText(ctx: StreamContext, entry: StreamEntry): Promise<string> {
  const r = await readLocation(ctx, entry, entry.name, MAX_LINUX_TEXT_BYTES);
  return text.decode(r.bytes);
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * KEY=value lines (lsb-release, os-release); quotes around values are removed. Split at the
 * first '=' and trimmed, not matched by one pattern: blanks on both sides of a lazy value made
 * that pattern cubic in the line (the stream is the dump writer's text, up to 1 MiB).
 */
export function parseKeyValues(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of source.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) continue;
    out[key] = unquote(line.slice(eq + 1).trim());
  }
  return out;
}

function unquote(value: string): string {
  const q = value[0];
  return value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q) ? value.slice(1, -1) : value;
}

/** "Key:\tvalue" lines (/proc/self/status, one processor block of /proc/cpuinfo). */
export function parseColonValues(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of source.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    if (key !== '' && !(key in out)) out[key] = line.slice(colon + 1).trim();
  }
  return out;
}

export interface LinuxMapping {
  start: bigint;
  end: bigint;
  /** "r-xp". */
  perms: string;
  offset: bigint;
  dev: string;
  inode: number;
  /** File path, "[stack]", "[heap]", or "" for anonymous memory. */
  path: string;
}

const HEX_FIELD = /^[0-9a-fA-F]{1,16}$/;
const RANGE_FIELD = /^([0-9a-fA-F]{1,16})-([0-9a-fA-F]{1,16})$/;
const DECIMAL_FIELD = /^\d{1,20}$/;
const BLANK = /\s/;

/**
 * The first `count` blank-separated fields of a line and the text after them (trimmed), found by
 * one pass over the line: a single pattern over all the fields and the path backtracked on long
 * blank runs.
 */
function leadingFields(line: string, count: number): { fields: string[]; rest: string } | null {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < count) {
    while (i < line.length && BLANK.test(line[i]!)) i++;
    if (i >= line.length) return null;
    const start = i;
    while (i < line.length && !BLANK.test(line[i]!)) i++;
    fields.push(line.slice(start, i));
  }
  return { fields, rest: line.slice(i).trim() };
}

/** /proc/self/maps lines ("start-end perms offset dev inode path"); malformed lines are skipped. */
export function parseLinuxMaps(source: string): LinuxMapping[] {
  const out: LinuxMapping[] = [];
  for (const line of source.split('\n')) {
    // The line must start with the range, as the kernel prints it.
    if (line.length === 0 || BLANK.test(line[0]!)) continue;
    const parsed = leadingFields(line, 5);
    if (parsed === null) continue;
    const [range = '', perms = '', offset = '', dev = '', inode = ''] = parsed.fields;
    const r = RANGE_FIELD.exec(range);
    if (r === null || perms.length !== 4 || !HEX_FIELD.test(offset) || !DECIMAL_FIELD.test(inode)) continue;
    out.push({
      start: BigInt(`0x${r[1]}`),
      end: BigInt(`0x${r[2]}`),
      perms,
      offset: BigInt(`0x${offset}`),
      dev,
      inode: Number(inode),
      path: parsed.rest,
    });
  }
  return out;
}
