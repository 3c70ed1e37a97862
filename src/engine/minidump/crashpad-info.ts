// CrashpadInfoStream (0x43500001): Crashpad's report and client ids, the process-wide simple
// annotations (key → value strings the application set, e.g. "prod", "ver") and per-module
// annotations (list, simple dictionary and typed annotation objects). All strings are
// MinidumpUTF8String; all lists are count-prefixed and bounded here.
import { BinaryReader } from '../io/binary-reader.ts';
import { boundedCount, hex32, parseLocation, readLocation, type Location, type StreamContext } from './location.ts';
import { readOptionalString } from './strings.ts';
import type { StreamEntry } from './directory.ts';
import { DumpError } from '../core/errors.ts';

export const CRASHPAD_INFO_SIZE = 52;
/**
 * Entries read at most in the whole stream, every list and dictionary together. A bound per list
 * alone multiplies: 10 000 module links × three lists × 10 000 entries is 300 million reads.
 */
export const MAX_CRASHPAD_ENTRIES = 10_000;

/** Entries the stream may still read; shared by every list of one stream. */
interface EntryBudget {
  left: number;
  label: string;
}

/** `n` lowered to what the budget has left, with one warning for the stream when it runs out. */
function take(ctx: StreamContext, budget: EntryBudget, n: number): number {
  if (n > budget.left) {
    ctx.warn('cap-count', `${budget.label}: more than ${MAX_CRASHPAD_ENTRIES} entries in all; the rest were not read`);
    n = budget.left;
  }
  budget.left -= n;
  return n;
}
/** Bytes of an annotation object's value kept (Crashpad caps values at a few KiB itself). */
export const MAX_ANNOTATION_VALUE_BYTES = 64 * 1024;
/** MinidumpAnnotation type 1: a string. */
export const ANNOTATION_TYPE_STRING = 1;

export interface CrashpadAnnotationObject {
  name: string;
  /** 1 = string; 0x8000+ = application-defined. */
  type: number;
  /** Decoded text for string annotations; raw bytes for every other type. */
  value: string | Uint8Array;
}

export interface CrashpadModuleInfo {
  /** Index into the module list this entry describes. */
  moduleIndex: number;
  version: number;
  listAnnotations: string[];
  simpleAnnotations: Record<string, string>;
  annotationObjects: CrashpadAnnotationObject[];
}

export interface CrashpadInfo {
  version: number;
  /** Lower-case GUIDs; all zeros when the writer had none. */
  reportId: string;
  clientId: string;
  simpleAnnotations: Record<string, string>;
  modules: CrashpadModuleInfo[];
}

export async function readCrashpadInfo(ctx: StreamContext, entry: StreamEntry): Promise<CrashpadInfo> {
  const r = await readLocation(ctx, entry, entry.name, 4096);
  if (r.length < CRASHPAD_INFO_SIZE) {
    throw new DumpError('truncated', `${entry.name}: ${r.length} bytes, MinidumpCrashpadInfo needs ${CRASHPAD_INFO_SIZE}`);
  }
  const budget: EntryBudget = { left: MAX_CRASHPAD_ENTRIES, label: entry.name };
  return {
    version: r.u32(0),
    reportId: r.guid(4),
    clientId: r.guid(20),
    simpleAnnotations: await readDictionary(ctx, parseLocation(r, 36), `${entry.name} simple annotations`, budget),
    modules: await readModuleInfos(ctx, parseLocation(r, 44), `${entry.name} module list`, budget),
  };
}

/** A read of a nested structure that degrades to `fallback` with a warning. */
async function part<T>(ctx: StreamContext, fallback: T, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof DumpError)) throw err;
    ctx.warn('crashpad-corrupt', err.message);
    return fallback;
  }
}

function readDictionary(ctx: StreamContext, loc: Location, label: string, budget: EntryBudget): Promise<Record<string, string>> {
  return part(ctx, {}, async () => {
    const out: Record<string, string> = {};
    if (loc.size === 0) return out;
    const r = await readLocation(ctx, loc, label, 4 + MAX_CRASHPAD_ENTRIES * 8);
    const n = take(ctx, budget, boundedCount(ctx, label, 'entries', r.u32(0, 'entry count'), Math.floor((r.length - 4) / 8), MAX_CRASHPAD_ENTRIES));
    for (let i = 0; i < n; i++) {
      const keyRva = r.u32(4 + i * 8);
      const valueRva = r.u32(8 + i * 8);
      const key = await readOptionalString(ctx, keyRva, `${label} key ${i} at ${hex32(keyRva)}`, 'utf8');
      const value = await readOptionalString(ctx, valueRva, `${label} value ${i} at ${hex32(valueRva)}`, 'utf8');
      if (key !== null) out[key] = value ?? '';
    }
    return out;
  });
}

function readStringList(ctx: StreamContext, loc: Location, label: string, budget: EntryBudget): Promise<string[]> {
  return part(ctx, [], async () => {
    if (loc.size === 0) return [];
    const r = await readLocation(ctx, loc, label, 4 + MAX_CRASHPAD_ENTRIES * 4);
    const n = take(ctx, budget, boundedCount(ctx, label, 'strings', r.u32(0, 'string count'), Math.floor((r.length - 4) / 4), MAX_CRASHPAD_ENTRIES));
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const rva = r.u32(4 + i * 4);
      const s = await readOptionalString(ctx, rva, `${label} string ${i} at ${hex32(rva)}`, 'utf8');
      if (s !== null) out.push(s);
    }
    return out;
  });
}

function readAnnotationObjects(ctx: StreamContext, loc: Location, label: string, budget: EntryBudget): Promise<CrashpadAnnotationObject[]> {
  return part(ctx, [], async () => {
    if (loc.size === 0) return [];
    const r = await readLocation(ctx, loc, label, 4 + MAX_CRASHPAD_ENTRIES * 12);
    const n = take(ctx, budget, boundedCount(ctx, label, 'annotations', r.u32(0, 'annotation count'), Math.floor((r.length - 4) / 12), MAX_CRASHPAD_ENTRIES));
    const out: CrashpadAnnotationObject[] = [];
    for (let i = 0; i < n; i++) {
      const at = 4 + i * 12;
      const nameRva = r.u32(at);
      const type = r.u16(at + 4);
      const valueRva = r.u32(at + 8);
      const name = (await readOptionalString(ctx, nameRva, `${label} name ${i} at ${hex32(nameRva)}`, 'utf8')) ?? '';
      const bytes = await readByteArray(ctx, valueRva, `${label} value of ${name || i}`);
      const value = type === ANNOTATION_TYPE_STRING ? new BinaryReader(bytes, label).utf8(0, bytes.length) : bytes;
      out.push({ name, type, value });
    }
    return out;
  });
}

/** MinidumpByteArray: u32 length then the bytes. */
async function readByteArray(ctx: StreamContext, rva: number, label: string): Promise<Uint8Array> {
  if (rva === 0) return new Uint8Array(0);
  const head = await readLocation(ctx, { rva, size: 4 }, label);
  const length = head.u32(0, 'byte array length');
  if (length === 0) return new Uint8Array(0);
  return (await readLocation(ctx, { rva: rva + 4, size: length }, label, MAX_ANNOTATION_VALUE_BYTES)).bytes;
}

function readModuleInfos(ctx: StreamContext, loc: Location, label: string, budget: EntryBudget): Promise<CrashpadModuleInfo[]> {
  return part(ctx, [], async () => {
    if (loc.size === 0) return [];
    const r = await readLocation(ctx, loc, label, 4 + MAX_CRASHPAD_ENTRIES * 12);
    const n = take(ctx, budget, boundedCount(ctx, label, 'module links', r.u32(0, 'link count'), Math.floor((r.length - 4) / 12), MAX_CRASHPAD_ENTRIES));
    const out: CrashpadModuleInfo[] = [];
    for (let i = 0; i < n; i++) {
      const moduleIndex = r.u32(4 + i * 12);
      const infoLoc = parseLocation(r, 8 + i * 12);
      const what = `${label} entry for module ${moduleIndex}`;
      const info = await part(ctx, null, async () => {
        const m = await readLocation(ctx, infoLoc, what, 4096);
        // Version 1 has 28 bytes: version + three locations. Shorter records are corrupt.
        if (m.length < 28) throw new DumpError('truncated', `${what}: ${m.length} bytes, needs 28`);
        return {
          moduleIndex,
          version: m.u32(0),
          listAnnotations: await readStringList(ctx, parseLocation(m, 4), `${what} list annotations`, budget),
          simpleAnnotations: await readDictionary(ctx, parseLocation(m, 12), `${what} simple annotations`, budget),
          annotationObjects: await readAnnotationObjects(ctx, parseLocation(m, 20), `${what} annotation objects`, budget),
        };
      });
      if (info !== null) out.push(info);
    }
    return out;
  });
}
