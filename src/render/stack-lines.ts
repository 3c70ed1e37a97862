// Stacks laid out as WinDbg prints them (`Child-SP RetAddr Call Site` for x64,
// `ChildEBP RetAddr Call Site` for x86), shared by the CLI, "Copy as text" and the page, so
// a reader can compare our output with their debugger's line by line: with symbols, a source
// line after the call site ("app!store+0x1c [C:\src\order.c @ 15]") and inline frames with
// "(Inline Function)" / "(Inline)" in the stack-pointer column and dashes for the return address.
import { big } from '../engine/core/hex.ts';
import type { Frame, Thread } from '../engine/core/dump-model.ts';
import type { Finding, StackView } from '../engine/report/schema.ts';
import { archBits, type Arch } from '../engine/core/arch.ts';
import { frameText, frameTextWithSource } from '../engine/core/frame-text.ts';

export interface StackLine {
  frame: Frame;
  /** The WinDbg-style text of the row, without markers. */
  text: string;
  /** The same row without its source line ("… [file @ line]"), for a renderer that shows the line apart. */
  textWithoutSource: string;
  /** Notes of the findings whose evidence includes this frame. */
  notes: { pattern: string; note: string }[];
}

/** WinDbg's 64-bit address form: 00000000`7d4e2366. */
export function windbgAddress(value: string | null, bits: 32 | 64): string {
  if (value === null) return bits === 64 ? '????????`????????' : '????????';
  const digits = big(value).toString(16).padStart(bits === 64 ? 16 : 8, '0');
  return bits === 64 ? `${digits.slice(0, 8)}\`${digits.slice(8)}` : digits;
}

/** What WinDbg prints in the Child-SP / ChildEBP and RetAddr columns of an inline frame. */
export function inlineColumns(bits: 32 | 64): string {
  return bits === 64 ? '(Inline Function) --------`--------' : '(Inline) --------';
}

/** A frame's number as WinDbg's `kn` prints it: two hex digits at least ("0a", not "10"). */
export function frameNumber(index: number): string {
  return index.toString(16).padStart(2, '0');
}

export function stackHeader(bits: 32 | 64): string {
  return bits === 64 ? 'Child-SP          RetAddr           Call Site' : 'ChildEBP RetAddr  Call Site';
}

export function viewBits(view: StackView, nativeArch: Arch): 32 | 64 {
  if (view === 'x86') return 32;
  return archBits(nativeArch) === 32 ? 32 : 64;
}

/** The findings' notes on one stack, by frame index. */
export type FrameNotes = ReadonlyMap<number, { pattern: string; note: string }[]>;

/**
 * Gathers, once per stack, the notes of the findings whose evidence names its frames: an evidence
 * list can name 100 000 frames, and a renderer that draws a stack in chunks looks up its own.
 */
export function frameNotes(thread: Thread, view: StackView, findings: readonly Finding[]): FrameNotes {
  const notes = new Map<number, { pattern: string; note: string }[]>();
  for (const f of findings) {
    for (const e of f.evidence) {
      if (e.kind !== 'frames' || e.threadId !== thread.id || e.view !== view) continue;
      for (const i of e.frames) {
        const list = notes.get(i);
        if (list) list.push({ pattern: f.pattern, note: e.note });
        else notes.set(i, [{ pattern: f.pattern, note: e.note }]);
      }
    }
  }
  return notes;
}

export function stackLines(thread: Thread, view: StackView, bits: 32 | 64, notes: FrameNotes): StackLine[] {
  const frames = view === 'x86' ? (thread.x86Frames ?? []) : thread.frames;
  return frames.map((frame) => {
    const columns = frame.inline ? inlineColumns(bits) : `${windbgAddress(frame.sp, bits)} ${windbgAddress(frame.retAddr, bits)}`;
    return {
      frame,
      text: `${columns} ${frameTextWithSource(frame)}`,
      textWithoutSource: `${columns} ${frameText(frame)}`,
      notes: notes.get(frame.index) ?? [],
    };
  });
}
