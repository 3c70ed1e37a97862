// Readers for what the two peer tools printed for each corpus dump (fixtures/corpus/reference/):
// LLDB 16's `thread backtrace all` + `image list`, and Breakpad's `minidump_stackwalk` without
// symbols. Only the facts the agreement test compares are read: threads, each thread's frame
// addresses in order, the modules, and (Breakpad) the crash line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(new URL('../../../fixtures/corpus/reference/', import.meta.url));

export interface LldbThread {
  /** LLDB's 1-based thread number. */
  number: number;
  /** Marked with `*`: the thread LLDB selected (the one with the exception, if any). */
  selected: boolean;
  stopReason: string | null;
  /** Frame PCs, innermost first. */
  frames: bigint[];
}

export interface LldbModule {
  path: string;
  base: bigint;
  /** The UUID column (CodeView GUID-age for PE, build id for ELF), or null when LLDB printed none. */
  uuid: string | null;
}

export interface LldbReference {
  /** "Core file … was loaded." appeared: LLDB accepted the dump. */
  loaded: boolean;
  threads: LldbThread[];
  modules: LldbModule[];
}

export interface BreakpadFrame {
  pc: bigint;
  /** "given as instruction pointer in context", "stack scanning", … */
  foundBy: string | null;
}

export interface BreakpadThread {
  index: number;
  crashed: boolean;
  frames: BreakpadFrame[];
}

export interface BreakpadModule {
  name: string;
  base: bigint;
  /** End − base + 1 (Breakpad prints the last byte). */
  size: bigint;
  version: string | null;
  main: boolean;
}

export interface BreakpadReference {
  /** Breakpad printed a report at all (it prints nothing for a dump it refuses). */
  loaded: boolean;
  os: string | null;
  cpu: string | null;
  crashReason: string | null;
  crashAddress: bigint | null;
  /** Seconds, or null for "not available". */
  uptimeSeconds: number | null;
  threads: BreakpadThread[];
  modules: BreakpadModule[];
}

export function referenceText(tool: 'lldb' | 'breakpad', file: string): string | null {
  try {
    return readFileSync(`${REFERENCE_DIR}${tool}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

const THREAD_LINE = /^\s*(\*)?\s*thread #(\d+)(?:, (?:name = '[^']*', )?(?:queue = '[^']*', )?stop reason = (.*))?$/;
const FRAME_LINE = /^\s*\*?\s*frame #(\d+): (0x[0-9a-fA-F]+)/;
// "[  0] UUID 0x00150000 path " — the UUID column is blank for modules without one.
const IMAGE_LINE = /^\[\s*(\d+)\]\s+(?:(\S+)\s+)?(0x[0-9a-fA-F]+)\s+(.*?)\s*$/;

export function parseLldb(text: string): LldbReference {
  const out: LldbReference = { loaded: /^Core file '.*' \(.*\) was loaded\.$/m.test(text), threads: [], modules: [] };
  let section: 'none' | 'bt' | 'image' = 'none';
  for (const line of text.split('\n')) {
    if (line.startsWith('(lldb) ')) {
      section = line.includes('thread backtrace') ? 'bt' : line.includes('image list') ? 'image' : 'none';
      continue;
    }
    if (section === 'bt') {
      const t = THREAD_LINE.exec(line);
      if (t) {
        out.threads.push({ number: Number(t[2]), selected: t[1] === '*', stopReason: t[3] ?? null, frames: [] });
        continue;
      }
      const f = FRAME_LINE.exec(line);
      const current = out.threads[out.threads.length - 1];
      if (f && current) current.frames.push(BigInt(f[2]!));
    } else if (section === 'image') {
      const m = IMAGE_LINE.exec(line);
      if (m) out.modules.push({ path: m[4]!, base: BigInt(m[3]!), uuid: m[2] ?? null });
    }
  }
  return out;
}

const BP_THREAD = /^Thread (\d+)( \(crashed\))?/;
const BP_FRAME = /^ ?(\d+)  (.*)$/;
const BP_PC = /\b(?:eip|rip|pc) = (0x[0-9a-f]+)/;
const BP_MODULE = /^(0x[0-9a-f]+) - (0x[0-9a-f]+)  (.+?)  (\S+)(  \(main\))?\s*$/;

export function parseBreakpad(text: string): BreakpadReference {
  const lines = text.split('\n');
  const out: BreakpadReference = {
    loaded: text.trim().length > 0,
    os: null,
    cpu: null,
    crashReason: null,
    crashAddress: null,
    uptimeSeconds: null,
    threads: [],
    modules: [],
  };
  let section: 'head' | 'threads' | 'modules' = 'head';
  let frame: BreakpadFrame | null = null;
  for (const line of lines) {
    if (line.startsWith('Operating system: ')) out.os = line.slice(18).trim();
    else if (line.startsWith('CPU: ')) out.cpu = line.slice(5).trim();
    else if (line.startsWith('Crash reason: ')) out.crashReason = line.slice(14).trim();
    else if (line.startsWith('Crash address: ')) out.crashAddress = BigInt(line.slice(15).trim());
    else if (line.startsWith('Process uptime: ')) {
      const m = /(\d+) seconds/.exec(line);
      out.uptimeSeconds = m ? Number(m[1]) : null;
    } else if (line.startsWith('Loaded modules:')) section = 'modules';
    const t = BP_THREAD.exec(line);
    if (t) {
      section = 'threads';
      out.threads.push({ index: Number(t[1]), crashed: t[2] !== undefined, frames: [] });
      frame = null;
      continue;
    }
    if (section === 'threads') {
      const thread = out.threads[out.threads.length - 1]!;
      if (BP_FRAME.test(line)) {
        frame = { pc: -1n, foundBy: null };
        thread.frames.push(frame);
        continue;
      }
      if (!frame) continue;
      const pc = BP_PC.exec(line);
      if (pc && frame.pc < 0n) frame.pc = BigInt(pc[1]!);
      const found = /^\s+Found by: (.*)$/.exec(line);
      if (found) frame.foundBy = found[1]!;
    } else if (section === 'modules') {
      const m = BP_MODULE.exec(line);
      if (m) {
        const base = BigInt(m[1]!);
        out.modules.push({ name: m[3]!, base, size: BigInt(m[2]!) - base + 1n, version: m[4] === '???' ? null : m[4]!, main: m[5] !== undefined });
      }
    }
  }
  return out;
}

/** The frames Breakpad or LLDB show for the crashing (else the first) thread. */
export function breakpadCrashThread(ref: BreakpadReference): BreakpadThread | null {
  return ref.threads.find((t) => t.crashed) ?? ref.threads[0] ?? null;
}

export function lldbCrashThread(ref: LldbReference): LldbThread | null {
  return ref.threads.find((t) => t.selected) ?? ref.threads[0] ?? null;
}

/** Length of the common prefix of two address lists. */
export function agreeingPrefix(a: readonly bigint[], b: readonly bigint[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
