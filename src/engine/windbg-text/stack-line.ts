// What a stack is while it is being read: frame lines plus the debugger's doubts about them.
// Addresses stay bigints until the reader knows frame 0's instruction pointer.
import type { FrameLine } from './frame-line.ts';

export interface StackLine {
  frame: FrameLine;
  /** A "Following frames may be wrong" warning printed just above this frame. */
  note?: string;
}

// "WARNING: Frame IP not in any known module. Following frames may be wrong."
// "WARNING: Stack unwind information not available. Following frames may be wrong."
export function parseStackWarning(line: string): string | null {
  const m = /^\s*WARNING:\s+(.*Following frames may be wrong\.?)\s*$/.exec(line);
  return m ? m[1]! : null;
}

export class StackCollector {
  readonly lines: StackLine[] = [];
  private pendingNote: string | null = null;

  /** Takes a frame or a stack warning; false when the line is neither. */
  feed(line: string, parse: (l: string) => FrameLine | null): boolean {
    const warning = parseStackWarning(line);
    if (warning) {
      this.pendingNote = warning;
      return true;
    }
    const frame = parse(line);
    if (!frame) return false;
    this.lines.push(this.pendingNote ? { frame, note: this.pendingNote } : { frame });
    this.pendingNote = null;
    return true;
  }
}
