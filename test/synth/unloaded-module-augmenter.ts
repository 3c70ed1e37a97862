// Adds an UnloadedModuleList stream to a real dump that lacks one. Wine's dbghelp accepts
// MiniDumpWithUnloadedModules but never writes the stream, so a program of fixtures/programs
// that unloads a DLL reports the loader's own unload event trace (fixtures/programs/unloadfacts.h
// writes NAME.unloaded.json beside the dump, from RtlGetUnloadEventTraceEx, which Wine's loader
// keeps as Windows' does) and this module turns that report into the stream Windows' dbghelp
// builds from the same trace: MINIDUMP_UNLOADED_MODULE_LIST (SizeOfHeader 12, SizeOfEntry 24,
// NumberOfEntries) followed by MINIDUMP_UNLOADED_MODULE entries (BaseOfImage u64, SizeOfImage
// u32, CheckSum u32, TimeDateStamp u32, ModuleNameRva u32), names as MINIDUMP_STRINGs.
//
// Everything else in the dump stays byte for byte: the stream and its names are appended at the
// end of the file and the directory gets one more entry (one of the unused entries Wine pads its
// directory with, or a copy of the directory appended after them).

import { appendStream, miscProcessId } from './stream-appender.ts';

export const UNLOADED_MODULE_LIST_STREAM = 14;
const HEADER_SIZE = 12;
const ENTRY_SIZE = 24;

export interface UnloadFact {
  base: number;
  size: number;
  sequence: number;
  timestamp: number;
  checksum: number;
  /** The base name the loader recorded (at most 31 characters). */
  name: string;
}

export interface UnloadFacts {
  processId: number;
  unloaded: UnloadFact[];
}

function fail(message: string): never {
  throw new Error(`unload facts: ${message}`);
}

function int(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} is not a non-negative integer`);
  return value;
}

/** Parses and checks the JSON a program wrote with unloadfacts.h. */
export function parseUnloadFacts(json: string): UnloadFacts {
  const root = JSON.parse(json) as Record<string, unknown>;
  if (typeof root !== 'object' || root === null) fail('the file is not an object');
  const list = root['unloaded'];
  if (!Array.isArray(list)) fail('unloaded is not an array');
  const unloaded = list.map((raw: unknown, i): UnloadFact => {
    if (typeof raw !== 'object' || raw === null) fail(`entry ${i} is not an object`);
    const e = raw as Record<string, unknown>;
    if (typeof e['name'] !== 'string') fail(`entry ${i}: name is not a string`);
    return {
      base: int(e['base'], `entry ${i} base`),
      size: int(e['size'], `entry ${i} size`),
      sequence: int(e['sequence'], `entry ${i} sequence`),
      timestamp: int(e['timestamp'], `entry ${i} timestamp`),
      checksum: int(e['checksum'], `entry ${i} checksum`),
      name: e['name'],
    };
  });
  return { processId: int(root['processId'], 'processId'), unloaded };
}

/**
 * A copy of `dump` (a real minidump with no UnloadedModuleList) with one built from `facts`,
 * oldest unload first (the trace's sequence order, as dbghelp lists it). Throws when the dump
 * already has the stream or was written for another process than the one the facts name.
 */
export function addUnloadedModules(dump: Uint8Array, facts: UnloadFacts): Uint8Array {
  const pid = miscProcessId(dump);
  if (pid !== null && pid !== facts.processId) throw new Error(`the unload facts are about process ${facts.processId}, the dump about ${pid}`);
  const entries = [...facts.unloaded].sort((a, b) => a.sequence - b.sequence);
  const streamSize = HEADER_SIZE + ENTRY_SIZE * entries.length;
  return appendStream(dump, { type: UNLOADED_MODULE_LIST_STREAM, size: streamSize, build: (base) => unloadedModulesBlock(entries, base) });
}

/** The stream, then the modules' names (MINIDUMP_STRING, 4-aligned), at file offsets from `base`. */
function unloadedModulesBlock(entries: readonly UnloadFact[], base: number): Uint8Array {
  const streamSize = HEADER_SIZE + ENTRY_SIZE * entries.length;
  const names = entries.map((e) => 4 + 2 * e.name.length + 2);
  const namesSize = names.reduce((s, n) => s + ((n + 3) & ~3), 0);
  const block = new Uint8Array(((streamSize + 3) & ~3) + namesSize);
  const out = new DataView(block.buffer);
  out.setUint32(0, HEADER_SIZE, true);
  out.setUint32(4, ENTRY_SIZE, true);
  out.setUint32(8, entries.length, true);
  let nameAt = (streamSize + 3) & ~3;
  entries.forEach((e, i) => {
    const at = HEADER_SIZE + ENTRY_SIZE * i;
    out.setBigUint64(at, BigInt(e.base), true);
    out.setUint32(at + 8, e.size, true);
    out.setUint32(at + 12, e.checksum, true);
    out.setUint32(at + 16, e.timestamp, true);
    out.setUint32(at + 20, base + nameAt, true);
    out.setUint32(nameAt, e.name.length * 2, true); // MINIDUMP_STRING.Length: bytes, no NUL
    for (let k = 0; k < e.name.length; k++) out.setUint16(nameAt + 4 + 2 * k, e.name.charCodeAt(k), true);
    nameAt += (names[i]! + 3) & ~3;
  });
  return block;
}
