// What kind of dump this is and who wrote it, from its flags, streams and comment. The writer
// is told only from evidence in the file; when nothing identifies it, it stays null.
import type { Minidump } from '../../minidump/minidump.ts';
import { minidumpTypeNames } from '../../minidump/header.ts';
import { hex } from '../../core/hex.ts';
import type { DumpModel } from '../../core/dump-model.ts';

const WINE_PRIVATE_STREAM = 0xfff0;
const FULL_MEMORY = 0x2n;

export function writerFrom(md: Minidump, comment: string | null): string | null {
  const types = new Set(md.streams.map((s) => s.type));
  if ([...types].some((t) => t === 0x43500001)) return 'Crashpad';
  if ([...types].some((t) => t >= 0x47670000 && t <= 0x4767ffff)) return 'Breakpad';
  if (types.has(WINE_PRIVATE_STREAM)) return 'Wine dbghelp';
  if (comment) {
    if (/procdump/i.test(comment)) return 'ProcDump';
    if (/userdump/i.test(comment)) return 'userdump';
    if (/adplus/i.test(comment)) return 'ADPlus';
    if (/windbg|cdb|\.dump/i.test(comment)) return 'Windows debugger (.dump)';
  }
  return null;
}

export function dumpFacts(md: Minidump, comment: string | null, hasException: boolean, hasMemory64: boolean): DumpModel['dump'] {
  const flags = md.header.flags;
  const fullMemory = (flags & FULL_MEMORY) !== 0n || hasMemory64;
  const flagNames = minidumpTypeNames(flags);
  return {
    fullMemory,
    flags: hex(flags),
    writer: writerFrom(md, comment),
    comment,
    time: md.time ? md.time.toISOString() : null,
    description: `User Mini Dump File${fullMemory ? ' with Full Memory' : ''}${flagNames.length > 0 ? ` (${flagNames.join(', ')})` : ''}`,
    streams: md.streams.map((s) => ({ type: s.type, name: s.name, size: s.size })),
    manual: hasException ? false : true,
    truncatedBytes: md.truncatedBytes > 0 ? md.truncatedBytes : null,
  };
}
