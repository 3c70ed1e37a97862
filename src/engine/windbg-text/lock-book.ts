// What `!locks` and `!cs` told of critical sections, kept by address while the log is read
// (locks.ts parses the lines), then put into the model's `locks`. A section's fields arrive on
// the lines after its header, so the book remembers which section is open.
import { hex } from '../core/hex.ts';
import type { DumpModel, LockRecord } from '../core/dump-model.ts';
import type { Warning } from '../core/warnings.ts';
import { parseLockCount, parseLockLine, type LockField } from './locks.ts';

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

function openSection(book: LockBook, warnings: Warning[], address: bigint, name: string | null): void {
  let e = book.byAddress.get(address);
  if (!e) {
    if (book.byAddress.size >= MAX_LOCKS) {
      if (!book.capped) warnings.push({ kind: 'cap-locks', message: `Only the first ${MAX_LOCKS} critical sections were read` });
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

/** A line of `!locks` / `!cs` output into the book. True when the line was one. */
export function takeLockLine(book: LockBook, line: string, warnings: Warning[]): boolean {
  if (book.inOwnerStack) {
    // The owner's stack is indented under its header; the first line at the margin ends it.
    if (/^\s+\S/.test(line) && parseLockLine(line)?.kind !== 'separator') return true;
    book.inOwnerStack = false;
  }
  const parsed = parseLockLine(line);
  if (!parsed) return false;
  switch (parsed.kind) {
    case 'section':
      openSection(book, warnings, parsed.address, parsed.name);
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
  return true;
}

/**
 * The sections read, into the model; `locks` stays unset when the log printed none. An owner
 * named only by its debugger thread number is found through `ordinalToTid`.
 */
export function assembleLocks(book: LockBook, ordinalToTid: ReadonlyMap<number, number>, model: DumpModel): void {
  if (book.byAddress.size === 0) return;
  const out: LockRecord[] = [];
  for (const e of book.byAddress.values()) {
    const byOrdinal = e.ownerOrdinal === null ? null : (ordinalToTid.get(e.ownerOrdinal) ?? null);
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
