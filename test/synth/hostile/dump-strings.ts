// Dump strings as weapons, from the hostile-input probe (issue 15):
//  - F6: a handle table whose every descriptor names one 64 KB MINIDUMP_STRING, so a reader
//    that charges its string budget per distinct RVA hands the report 2 × H references to it
//    (6.5e9 characters of JSON at the probe's 100,000 handles);
//  - F7: names, comments and thread names carrying bidirectional controls and line separators
//    that reorder or split a terminal's lines, with markup and terminal escapes beside them.
import { contextX86 } from '../context-writers.ts';
import { MinidumpBuilder } from '../minidump-builder.ts';
import { AliasedDump, minidumpString } from './aliased-dump.ts';

export interface SharedNameHandlesOptions {
  /** Handle descriptors. Default 100,000 (the reader's cap). */
  handles?: number;
  /** Bytes of the one name (UTF-16, even). Default 65,534: the largest a MINIDUMP_STRING may be under the 64 KiB string cap. */
  nameBytes?: number;
}

export const FULL_SHARED_NAME_HANDLES = { handles: 100_000, nameBytes: 65_534 } as const;

export function sharedNameHandles(options: SharedNameHandlesOptions = {}): Uint8Array {
  const handles = options.handles ?? FULL_SHARED_NAME_HANDLES.handles;
  const nameBytes = options.nameBytes ?? FULL_SHARED_NAME_HANDLES.nameBytes;
  const d = new AliasedDump();
  d.builder.systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19041 });
  const text = '<img src=x onerror=alert(1)>'.repeat(Math.ceil(nameBytes / 56)).slice(0, nameBytes / 2);
  const name = d.blob(minidumpString(text, nameBytes));
  for (let i = 0; i < handles; i++) d.handle(4 * (i + 1), name, name);
  return d.build().bytes;
}

/** Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) and line separators. */
export const BIDI_CONTROLS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'] as const;
export const LINE_BREAKERS = ['\u2028', '\u2029', '\u0085'] as const;

/** Strings a terminal would draw reordered or split, each looking like something else. */
export const BIDI_STRINGS = [
  'C:\\evil\\\u202etxt.exe',
  'report\u2066\u2067\u2068\u2069\u061c\u200e\u200f.dll',
  'kernel32.dll\u202d\u202a\u202b\u202c',
  'first line\u2028second line\u2029third\u0085fourth',
  '\u001b[31mred\u001b[0m and \u001b]0;title\u0007',
] as const;

export interface BidiDumpOptions {
  /** Extra modules whose names are the same strings repeated (many --images-sized lists). Default 0. */
  extraModules?: number;
}

/** A small x86 dump whose module names, comments and thread name hold BIDI_STRINGS (F7). */
export function bidiStringsDump(options: BidiDumpOptions = {}): Uint8Array {
  const b = new MinidumpBuilder().systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19041 });
  const names: string[] = [...BIDI_STRINGS];
  for (let i = 0; i < (options.extraModules ?? 0); i++) names.push(`${BIDI_STRINGS[i % BIDI_STRINGS.length]}${i}`);
  names.forEach((name, i) => b.module({ name, base: 0x400000 + i * 0x100000, size: 0x100000 }));
  const context = contextX86({ eip: 0x400010, esp: 0x12000, ebp: 0x12000 });
  b.thread({ id: 1, context });
  b.threadName(1, BIDI_STRINGS[0]);
  b.exception({ threadId: 1, code: 0xc0000005, address: 0x400010, parameters: [1, 0], context });
  b.commentW(BIDI_STRINGS.join(' | '));
  b.commentA('plain \u202e comment');
  return b.build().bytes;
}
