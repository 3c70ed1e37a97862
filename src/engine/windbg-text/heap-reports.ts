// What the heap manager and Application Verifier print to the debugger before they break in:
//   HEAP[malloc.exe]: Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )
//   HEAP: Free Heap block 3a0c28 modified at 3a0c58 after it was freed
//   VERIFIER STOP 00000008: pid 0xAA0: corrupted suffix pattern
//   Page heap: process 0x5BC created heap @ 00880000 (00980000, flags 0x3)
// The breakpoint that follows is the heap's report, not the program's own `int 3`; the model
// carries the messages as annotations (HEAP_ERROR, VERIFIER_STOP, PAGE_HEAP) for the detectors.
import type { DumpModel } from '../core/dump-model.ts';
import type { HeapState } from './reader-state.ts';

export type HeapLine =
  | { kind: 'heap'; image: string | null; text: string }
  | { kind: 'verifier'; code: number; pid: number | null; text: string }
  | { kind: 'page-heap'; pid: number };

/** Messages kept of each kind: the first ones tell the story; a log of thousands repeats it. */
const MAX_MESSAGES = 8;
/** Characters kept of one message. */
const MAX_TEXT = 512;

export function parseHeapLine(line: string): HeapLine | null {
  const t = line.trim();
  let m = /^HEAP(?:\[([^\]]{1,260})\])?:[ \t]+(\S.*)$/.exec(t);
  if (m) return { kind: 'heap', image: m[1] ?? null, text: m[2]!.slice(0, MAX_TEXT) };
  m = /^VERIFIER STOP ([0-9a-f]{1,8}):[ \t]*(?:pid 0x([0-9a-f]{1,8}):[ \t]*)?(\S.*)$/i.exec(t);
  if (m) return { kind: 'verifier', code: parseInt(m[1]!, 16), pid: m[2] ? parseInt(m[2], 16) : null, text: m[3]!.slice(0, MAX_TEXT) };
  m = /^Page heap: process 0x([0-9a-f]{1,8}) created heap @ /i.exec(t);
  if (m) return { kind: 'page-heap', pid: parseInt(m[1]!, 16) };
  return null;
}

/** A heap or verifier message into the state. True when the line was one. */
export function takeHeapLine(heap: HeapState, line: string): boolean {
  // Every form starts with one of three words: a cheap refusal for all other lines.
  const c = line.trimStart().charCodeAt(0);
  if (c !== 72 && c !== 86 && c !== 80) return false;
  const h = parseHeapLine(line);
  if (!h) return false;
  switch (h.kind) {
    case 'heap':
      if (heap.messages.length < MAX_MESSAGES) heap.messages.push(h.text);
      break;
    case 'verifier': {
      const code = h.code.toString(16).padStart(8, '0');
      if (heap.verifierStops.length < MAX_MESSAGES) heap.verifierStops.push(`${code}: ${h.text}`);
      heap.pid ??= h.pid;
      break;
    }
    case 'page-heap':
      heap.pageHeap ??= 'enabled';
      heap.pid ??= h.pid;
      break;
  }
  return true;
}

/** The messages as annotations: the first of each kind (the one that stopped the process). */
export function assembleHeapReports(heap: HeapState, model: DumpModel): void {
  if (heap.messages.length > 0) model.annotations['HEAP_ERROR'] ??= heap.messages[0]!;
  if (heap.verifierStops.length > 0) model.annotations['VERIFIER_STOP'] ??= heap.verifierStops[0]!;
  if (heap.pageHeap) model.annotations['PAGE_HEAP'] ??= heap.pageHeap;
}
