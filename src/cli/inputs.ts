// What `dumpatlas analyze` was given, turned into the files to analyse. A file named on the
// command line (or matched by a glob) is always analysed, so a wrong file earns a clear one-line
// error. A folder is searched recursively, and only what its content says is a dump or debugger
// output is taken: a share of crash reports also holds the program's .exe and .dll files, READMEs
// and screenshots, which are neither failures nor broken dumps. Every walk is bounded.
import { closeFile, openFile, readFileRange } from '../engine/io/node-file-source.ts';
import { readdir, stat } from './node-fs.ts';
import { join, resolve } from 'node:path';
import { hasGlob, matchSegment, splitGlob } from './glob.ts';
import { compareText } from '../engine/core/text-order.ts';

/** Files one run takes; beyond it the rest are left out with a warning. */
export const MAX_INPUT_FILES = 1_000_000;
/** Folder entries one run lists (files and folders alike, skipped ones included). */
export const MAX_WALK_ENTRIES = 5_000_000;
/** Folder depth below an input folder; deeper trees are usually a link loop. */
export const MAX_WALK_DEPTH = 64;
/** Bytes of a file read to tell debugger output from other text. */
const SNIFF_BYTES = 64 * 1024;
/** Files sniffed at once (each is opened, read once and closed). */
const SNIFF_CONCURRENCY = 16;

export interface InputProblem {
  file: string;
  kind: string;
  message: string;
}

export interface InputList {
  files: string[];
  /** Inputs that name nothing (a glob without matches, an unreadable folder). */
  problems: InputProblem[];
  /** Files in folders that are neither dumps nor debugger output. */
  skipped: number;
  /** Of those, module images (.exe/.dll…): worth giving with --images. */
  skippedImages: number;
  /** Set when a bound cut the list short: what was left out. */
  capped: string | null;
}

interface Walk {
  entries: number;
  capped: string | null;
  problems: InputProblem[];
}

/**
 * Debugger output, told by the lines only a debugger prints. WinDbg's .logopen /u writes
 * UTF-16, hence the decode; every pattern here is a fixed word or a bounded class, linear on
 * any line.
 */
const DEBUGGER_MARKERS = [
  /Microsoft \(R\) Windows Debugger/,
  /Loading Dump File/,
  /Child-SP\s+RetAddr/,
  /ChildEBP\s+RetAddr/,
  /Exception(?:Address|Code): /,
  /FAULTING_IP|FAILURE_BUCKET_ID|EXCEPTION_RECORD:|STACK_TEXT:/,
  /start\s+end\s+module name/,
  /^\d{1,3}:\d{3}(?::[a-z0-9]{1,8})?> /m,
];

export function looksLikeDebuggerText(head: Uint8Array): boolean {
  let text: string;
  if (head[0] === 0xff && head[1] === 0xfe) text = new TextDecoder('utf-16le').decode(head);
  else if (head[0] === 0xfe && head[1] === 0xff) text = new TextDecoder('utf-16be').decode(head);
  else text = new TextDecoder('latin1').decode(head);
  return DEBUGGER_MARKERS.some((m) => m.test(text));
}

export type ContentKind = 'minidump' | 'debugger-text' | 'image' | 'other';

export async function contentKind(path: string): Promise<ContentKind> {
  let fd: number | null = null;
  try {
    fd = await openFile(path, 'r');
    const bytes = await readFileRange(fd, path, 0, new Uint8Array(SNIFF_BYTES));
    if (bytes[0] === 0x4d && bytes[1] === 0x44 && bytes[2] === 0x4d && bytes[3] === 0x50) return 'minidump';
    if (bytes[0] === 0x4d && bytes[1] === 0x5a) return 'image';
    // Binary files (images, archives) have NULs early; UTF-16 text has them too, after a BOM.
    const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    if (!bom && bytes.subarray(0, 4096).includes(0)) return 'other';
    return looksLikeDebuggerText(bytes) ? 'debugger-text' : 'other';
  } catch {
    // Unreadable: analysing it will say why, in the file's own line.
    return 'minidump';
  } finally {
    if (fd !== null) await closeFile(fd).catch(() => {});
  }
}

async function walkFolder(dir: string, depth: number, walk: Walk, out: string[]): Promise<void> {
  if (walk.capped) return;
  if (depth > MAX_WALK_DEPTH) {
    walk.capped = `folders deeper than ${MAX_WALK_DEPTH} levels were not searched (${dir})`;
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    walk.problems.push({ file: dir, kind: 'io', message: `cannot list this folder: ${oneLine(err)}` });
    return;
  }
  entries.sort((a, b) => compareText(a.name, b.name));
  for (const e of entries) {
    if (++walk.entries > MAX_WALK_ENTRIES) {
      walk.capped = `only the first ${MAX_WALK_ENTRIES} folder entries were looked at`;
      return;
    }
    const path = join(dir, e.name);
    // Linked folders are not followed (a link to a parent would loop); linked files are taken.
    if (e.isDirectory()) await walkFolder(path, depth + 1, walk, out);
    else if (e.isFile() || (e.isSymbolicLink() && (await isFile(path)))) out.push(path);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Paths under `base` that match the glob segments; folders matched by the last segment are returned as folders. */
async function walkGlob(base: string, segments: readonly string[], walk: Walk, files: string[], folders: string[], depth = 0): Promise<void> {
  if (walk.capped) return;
  if (segments.length === 0) {
    const s = await stat(base).catch(() => null);
    if (s?.isDirectory()) folders.push(base);
    else if (s?.isFile()) files.push(base);
    return;
  }
  if (depth > MAX_WALK_DEPTH) {
    walk.capped = `folders deeper than ${MAX_WALK_DEPTH} levels were not searched (${base})`;
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  if (!hasGlob(head)) return walkGlob(join(base, head), rest, walk, files, folders, depth + 1);
  let entries;
  try {
    entries = await readdir(base, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => compareText(a.name, b.name));
  if (head === '**') {
    // "**" matches no folder at all, or any one and then "**" again below it.
    await walkGlob(base, rest, walk, files, folders, depth + 1);
    for (const e of entries) {
      if (++walk.entries > MAX_WALK_ENTRIES) {
        walk.capped = `only the first ${MAX_WALK_ENTRIES} folder entries were looked at`;
        return;
      }
      if (e.isDirectory() && !e.name.startsWith('.')) await walkGlob(join(base, e.name), segments, walk, files, folders, depth + 1);
    }
    return;
  }
  for (const e of entries) {
    if (++walk.entries > MAX_WALK_ENTRIES) {
      walk.capped = `only the first ${MAX_WALK_ENTRIES} folder entries were looked at`;
      return;
    }
    if (matchSegment(head, e.name)) await walkGlob(join(base, e.name), rest, walk, files, folders, depth + 1);
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(runners);
  return out;
}

export async function expandInputs(inputs: readonly string[]): Promise<InputList> {
  const walk: Walk = { entries: 0, capped: null, problems: [] };
  const ordered: { path: string; explicit: boolean }[] = [];
  let skipped = 0;
  let skippedImages = 0;
  for (const input of inputs) {
    const s = await stat(input).catch(() => null);
    const folders: string[] = [];
    if (s?.isDirectory()) folders.push(input);
    else if (s || !hasGlob(input)) {
      // A file, or a name that does not exist: analysing it says what is wrong in its own line.
      ordered.push({ path: input, explicit: true });
    } else {
      const { base, segments } = splitGlob(input);
      const files: string[] = [];
      await walkGlob(base, segments, walk, files, folders);
      for (const f of files) ordered.push({ path: f, explicit: true });
      if (files.length === 0 && folders.length === 0) walk.problems.push({ file: input, kind: 'no-match', message: 'no file matches this pattern' });
    }
    for (const folder of folders) {
      const found: string[] = [];
      await walkFolder(folder, 0, walk, found);
      const kinds = await mapLimited(found, SNIFF_CONCURRENCY, contentKind);
      found.forEach((f, i) => {
        if (kinds[i] === 'other' || kinds[i] === 'image') {
          skipped++;
          if (kinds[i] === 'image') skippedImages++;
        } else ordered.push({ path: f, explicit: false });
      });
    }
  }
  const seen = new Set<string>();
  const files: string[] = [];
  let capped = walk.capped;
  for (const { path } of ordered) {
    const key = resolve(path);
    if (seen.has(key)) continue;
    seen.add(key);
    if (files.length >= MAX_INPUT_FILES) {
      capped ??= `only the first ${MAX_INPUT_FILES} files were analysed`;
      break;
    }
    files.push(path);
  }
  return { files, problems: walk.problems, skipped, skippedImages, capped };
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
