// Critical sections and their owners, as two debugger extensions print them:
//   !locks (ntsdexts)   "CritSec ntdll!LdrpLoaderLock+0 at 77fc4020" then "LockCount          1",
//                       "OwningThread       1a2c" … "*** Locked", and "Scanned 41 critical sections"
//   !cs -l -o (exts)    "DebugInfo          = 0x…", "Critical section   = 0x0042f4a0 (App!g_lock+0x0)",
//                       "LOCKED", "OwningThread       = 0x00001a2c", "OwningThread DbgId = ~3s",
//                       then "OwningThread Stack =" and the owner's stack, indented.
// !locks prints its counts and the owner without a 0x prefix, and they are hex (the owner is a
// thread id as `~` prints it); !cs writes the prefix. Both print the same section when a log has
// both commands: the records merge by address, a later print filling what an earlier one lacked.
import { hex, parseHex } from '../core/hex.ts';
import type { DumpModel, LockRecord } from '../core/dump-model.ts';
import type { ReaderState } from './reader-state.ts';

/** A text of a million sections is not a log anyone pasted for its locks: keep the first ones. */
export const MAX_LOCKS = 10_000;

export interface LockEntry {
  address: bigint;
  name: string | null;
  ownerThreadId: number | null;
  /** `OwningThread DbgId = ~3s`: the owner's debugger thread number, used when the id is missing. */
  ownerOrdinal: number | null;
  lockCount: number | null;
  recursionCount: number | null;
  contention: number | null;
  locked: boolean | null;
}

export interface LockBook {
  readonly byAddress: Map<bigint, LockEntry>;
  /** The section whose field lines are being read. */
  open: LockEntry | null;
  /** Inside `!cs -o`'s "OwningThread Stack =": its frames are the owner's, not the current thread's. */
  inOwnerStack: boolean;
  capped: boolean;
}

export function newLockBook(): LockBook {
  return { byAddress: new Map(), open: null, inOwnerStack: false, capped: false };
}

export type LockLine =
  | { kind: 'section'; address: bigint; name: string | null }
  | { kind: 'field'; field: LockField; value: string }
  | { kind: 'locked'; locked: boolean }
  | { kind: 'owner-ordinal'; ordinal: number }
  | { kind: 'owner-stack' }
  | { kind: 'separator' }
  | { kind: 'scanned' };

type LockField = 'WaiterWoken' | 'LockCount' | 'RecursionCount' | 'OwningThread' | 'EntryCount' | 'ContentionCount' | 'LockSemaphore' | 'SpinCount' | 'DebugInfo';

const FIELD_LINE = /^\s*(WaiterWoken|LockCount|RecursionCount|OwningThread|EntryCount|ContentionCount|LockSemaphore|SpinCount|DebugInfo)\s*(?:=\s*)?(\S+)\s*$/;

/** The debugger's symbol for a section, without the "+0"/"+0x0" it appends to an exact match. */
function sectionName(text: string | undefined): string | null {
  const t = text?.trim().replace(/\+0(?:x0)?$/i, '') ?? '';
  // "CritSec +7c97e178 at 7c97e178": no symbol covers it.
  return t === '' || t.startsWith('+') ? null : t;
}

/** One line of `!locks` or `!cs` output, or null when it is not one. */
export function parseLockLine(line: string): LockLine | null {
  let m = /^\s*CritSec\s+(.*?)\s*\bat\s+((?:0x)?[0-9a-f`]{1,17})\s*$/i.exec(line);
  if (m) {
    const address = parseHex(m[2]!);
    return address === null ? null : { kind: 'section', address, name: sectionName(m[1]) };
  }
  m = /^\s*Critical section\s*=\s*((?:0x)?[0-9a-f`]{1,17})(?:\s+\((.*)\))?\s*$/i.exec(line);
  if (m) {
    const address = parseHex(m[1]!);
    return address === null ? null : { kind: 'section', address, name: sectionName(m[2]) };
  }
  m = /^\s*OwningThread DbgId\s*=\s*~(\d{1,6})s?\s*$/i.exec(line);
  if (m) return { kind: 'owner-ordinal', ordinal: Number(m[1]) };
  if (/^\s*OwningThread Stack\s*=\s*$/i.test(line)) return { kind: 'owner-stack' };
  m = FIELD_LINE.exec(line);
  if (m) return { kind: 'field', field: m[1] as LockField, value: m[2]! };
  if (/^\s*\*\*\*\s*Locked\s*$/i.test(line) || /^\s*LOCKED\s*$/.test(line)) return { kind: 'locked', locked: true };
  if (/^\s*NOT LOCKED\s*$/.test(line)) return { kind: 'locked', locked: false };
  if (/^\s*-{10,}\s*$/.test(line)) return { kind: 'separator' };
  if (/^\s*Scanned\s+\d+\s+critical sections?\s*$/i.test(line)) return { kind: 'scanned' };
  return null;
}

/**
 * A count as either command prints it: hex, with or without 0x, possibly negative ("-1" for an
 * unowned section, and "0x-2"-style from some !cs builds). Null when it is not a number.
 */
export function parseLockCount(text: string): number | null {
  const m = /^(-)?(?:0x)?(-)?([0-9a-f]{1,8})$/i.exec(text.trim());
  if (!m) return null;
  const v = parseInt(m[3]!, 16);
  return m[1] || m[2] ? -v : v;
}

function openSection(book: LockBook, s: ReaderState, address: bigint, name: string | null): void {
  let e = book.byAddress.get(address);
  if (!e) {
    if (book.byAddress.size >= MAX_LOCKS) {
      if (!book.capped) s.warnings.push({ kind: 'cap-locks', message: `Only the first ${MAX_LOCKS} critical sections were read` });
      book.capped = true;
      book.open = null;
      return;
    }
    e = { address, name, ownerThreadId: null, ownerOrdinal: null, lockCount: null, recursionCount: null, contention: null, locked: null };
    book.byAddress.set(address, e);
  }
  e.name ??= name;
  book.open = e;
}

function setField(e: LockEntry, field: LockField, value: string): void {
  const n = parseLockCount(value);
  switch (field) {
    case 'OwningThread':
      // 0 is "no owner"; !locks -v prints it for free sections.
      if (n !== null && n > 0) e.ownerThreadId = n;
      break;
    case 'LockCount':
      if (n !== null) e.lockCount = n;
      break;
    case 'RecursionCount':
      if (n !== null) e.recursionCount = n;
      break;
    case 'ContentionCount':
      if (n !== null) e.contention = n;
      break;
    default:
      // WaiterWoken, EntryCount, LockSemaphore, SpinCount, DebugInfo: read so they are claimed.
      break;
  }
}

/** Ends the open section (a prompt, the end of the text). */
export function closeLocks(book: LockBook): void {
  book.open = null;
  book.inOwnerStack = false;
}

/** A line of `!locks` / `!cs` output. True (and counted) when the line was one. */
export function takeLockLine(s: ReaderState, line: string): boolean {
  const book = s.locks;
  if (book.inOwnerStack) {
    // The owner's stack is indented under its header; the first line at the margin ends it.
    if (/^\s+\S/.test(line) && parseLockLine(line)?.kind !== 'separator') {
      s.recognised++;
      return true;
    }
    book.inOwnerStack = false;
  }
  const parsed = parseLockLine(line);
  if (!parsed) return false;
  switch (parsed.kind) {
    case 'section':
      openSection(book, s, parsed.address, parsed.name);
      break;
    case 'field':
      // "DebugInfo = …" comes before its section in !cs; the other fields only mean something
      // inside a section (a lone "LockCount 1" elsewhere is someone's prose).
      if (parsed.field === 'DebugInfo') break;
      if (!book.open) return false;
      setField(book.open, parsed.field, parsed.value);
      break;
    case 'locked':
      if (!book.open) return false;
      book.open.locked = parsed.locked;
      break;
    case 'owner-ordinal':
      if (!book.open) return false;
      book.open.ownerOrdinal = parsed.ordinal;
      break;
    case 'owner-stack':
      if (!book.open) return false;
      book.inOwnerStack = true;
      break;
    case 'separator':
      // !cs draws one between sections; elsewhere a rule of dashes is not ours to claim.
      if (!book.open) return false;
      book.open = null;
      break;
    case 'scanned':
      book.open = null;
      break;
  }
  s.recognised++;
  return true;
}

/** The sections read, into the model; `locks` stays unset when the log printed none. */
export function assembleLocks(s: ReaderState, model: DumpModel): void {
  if (s.locks.byAddress.size === 0) return;
  const out: LockRecord[] = [];
  for (const e of s.locks.byAddress.values()) {
    const byOrdinal = e.ownerOrdinal === null ? null : (s.ordinalToTid.get(e.ownerOrdinal) ?? null);
    out.push({
      address: hex(e.address),
      name: e.name,
      // "NOT LOCKED" wins over a stale owner field: a free section has no owner.
      ownerThreadId: e.locked === false ? null : (e.ownerThreadId ?? byOrdinal),
      lockCount: e.lockCount,
      recursionCount: e.recursionCount,
      contention: e.contention,
    });
  }
  model.locks = out;
}
