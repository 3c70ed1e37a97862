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

/** KEY=value lines (lsb-release, os-release); quotes around values are removed. */
export function parseKeyValues(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of source.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    out[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
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

/** /proc/self/maps lines; malformed lines are skipped. */
export function parseLinuxMaps(source: string): LinuxMapping[] {
  const out: LinuxMapping[] = [];
  for (const line of source.split('\n')) {
    const m = /^([0-9a-fA-F]+)-([0-9a-fA-F]+)\s+(\S{4})\s+([0-9a-fA-F]+)\s+(\S+)\s+(\d+)\s*(.*)$/.exec(line);
    if (m === null) continue;
    const [, start = '0', end = '0', perms = '', offset = '0', dev = '', inode = '0', path = ''] = m;
    out.push({
      start: BigInt(`0x${start}`),
      end: BigInt(`0x${end}`),
      perms,
      offset: BigInt(`0x${offset}`),
      dev,
      inode: Number(inode),
      path: path.trim(),
    });
  }
  return out;
}
