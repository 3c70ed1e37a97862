// What a stack is while it is being read: frame lines plus the debugger's doubts about them.
// Addresses stay bigints until the reader knows frame 0's instruction pointer.
import { opensArgList, type FrameLine } from './frame-line.ts';
import { isWrappedHeaderTail } from './thread-stacks.ts';

export interface StackLine {
  frame: FrameLine;
  /** A "Following frames may be wrong" warning printed just above this frame. */
  note?: string;
}

export type FrameParser = (line: string) => FrameLine | null;

// "WARNING: Frame IP not in any known module. Following frames may be wrong."
// "WARNING: Stack unwind information not available. Following frames may be wrong."
// "WARNING: Stack overflow detected. The unwound frames are extracted from outside normal stack bounds."
const STACK_WARNING_ENDS = ['Following frames may be wrong', 'outside normal stack bounds', 'Stack unwinding can be inaccurate'];

/** By its fixed start and end, not by ".*(?:…)\s*$", which backtracks over every blank of a long line. */
export function parseStackWarning(line: string): string | null {
  // Nearly every line of a stack is a frame: refuse those without making a copy of them.
  if (!line.includes('WARNING:')) return null;
  const t = line.trim();
  if (!t.startsWith('WARNING:')) return null;
  const text = t.slice('WARNING:'.length).trim();
  const body = text.endsWith('.') ? text.slice(0, -1) : text;
  return text.length > 0 && t.length > 'WARNING:'.length && /\s/.test(t['WARNING:'.length]!) && STACK_WARNING_ENDS.some((e) => body.endsWith(e)) ? text : null;
}

/**
 * Symbol-loading chatter WinDbg prints in the middle of a stack the first time a frame needs a
 * module's symbols: it belongs to no frame and must not end the stack.
 */
const SYMBOL_NOISE =
  /^\s*(?:\*\*\*|SYMSRV:|DBGHELP:|DBGENG:|Unable to load image\b|Unable to read dynamic function table|Unable to verify (?:checksum|timestamp)|(?:WARNING|ERROR): (?:Unable to verify|Module load completed|Symbol file could not be found|Unable to load image))/;

export function isSymbolNoise(line: string): boolean {
  return SYMBOL_NOISE.test(line);
}

/**
 * Frames kept per printed stack. `k` prints 256 by default and `.kframes` rarely goes past a
 * few thousand; a paste of millions of frames would make a report of hundreds of megabytes.
 * Frames past the cap are still recognised (the stack does not end) but not kept.
 */
export const MAX_TEXT_FRAMES = 65_536;

/** How every `k` layout's frame line starts: a frame number or not, then a stack or frame address. */
const FRAME_START = /^\s*(?:[0-9a-f]{1,4}\s+)?[0-9a-f]{8}(?:`?[0-9a-f]{8})?\s/i;

/**
 * A frame number, then the start of a stack-address column: a `kn`/`k` frame line, even one cut
 * short. Neither an `lm` row nor a `dd`/`dq` row starts with 1–4 hex digits and a blank.
 */
const NUMBERED_FRAME_START = /^\s*([0-9a-f]{1,4})\s+[0-9a-f]{8}/i;

/** Losses noted per stack; a stack mangled on every line says so in a few. */
const MAX_LOST_NOTES = 4;

/** kP prints one argument a line; a frame longer than this is not one WinDbg printed. */
const MAX_ARG_LINES = 64;
const MAX_ARG_CHARS = 16 * 1024;

/** An address column as `k` prints it (8 or 16 digits, a backtick in the middle of 16). */
const ADDRESS_TOKEN = /^(?:[0-9a-f]{8}(?:`[0-9a-f]{8})?|[0-9a-f]{16})$/i;

/**
 * The first half of a frame a paste wrapped ("00000000`053ff398 00000000`77b9cf88 : <args>",
 * the call site on the next line): a frame number, then only address columns and " : ".
 * Token by token, so a long line costs its length.
 */
function isWrappedFrameHead(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  let i = /^[0-9a-f]{1,4}$/i.test(tokens[0] ?? '') && tokens.length > 2 ? 1 : 0;
  let addresses = 0;
  for (; i < tokens.length; i++) {
    if (tokens[i] === ':') continue;
    if (!ADDRESS_TOKEN.test(tokens[i]!)) return false;
    addresses++;
  }
  return addresses >= 2;
}

export class StackCollector {
  readonly lines: StackLine[] = [];
  /** The header's second line is still to come (a kv header wrapped after "Args to"). */
  expectHeaderTail = false;
  /** Frame lines seen past MAX_TEXT_FRAMES and dropped. */
  dropped = 0;
  /**
   * What the text lost of this stack, for a warning: a frame line cut or damaged (a paste that
   * ends mid-line, a line a mail client broke), or frame numbers skipped (lines left out). The
   * frames read around the loss are kept; the loss must not pass for the stack's true shape.
   */
  readonly lost: string[] = [];
  private lastNumber: number | null = null;
  private pendingNote: string | null = null;
  /** A kP frame whose argument list is still open: its lines so far, joined. */
  private pendingFrame: string | null = null;
  private pendingLines = 0;
  private afterSymsrv = false;
  /** A frame's first half, waiting for the line that ends it. */
  private held: string | null = null;
  private readonly parse: FrameParser;

  constructor(parse: FrameParser) {
    this.parse = parse;
  }

  /** Takes a frame, a piece of one, a stack warning or symbol noise; false when the line is none of them. */
  feed(line: string): boolean {
    if (this.pendingFrame !== null) return this.continueFrame(line);
    // Past the cap a frame is only counted: a line that starts like one is not taken apart
    // (a stack of 10^6 frames spent most of its reading parsing frames it then dropped).
    if (this.lines.length >= MAX_TEXT_FRAMES && this.held === null && FRAME_START.test(line)) {
      this.dropped++;
      return true;
    }
    if (this.expectHeaderTail) {
      this.expectHeaderTail = false;
      if (isWrappedHeaderTail(line)) return true;
    }
    if (this.held !== null) {
      const held = this.held;
      const joined = `${held} ${line.trim()}`;
      this.held = null;
      const frame = this.parse(joined);
      if (frame) {
        this.push(frame);
        return true;
      }
      // Not a wrapped frame after all: a frame line cut after its address columns.
      this.noteUnreadable(held);
    }
    const warning = parseStackWarning(line);
    if (warning) {
      this.pendingNote = warning;
      return true;
    }
    if (isSymbolNoise(line)) {
      this.afterSymsrv = /^\s*SYMSRV:/.test(line);
      return true;
    }
    // `!sym noisy` lists the symbol path, PDB name and id under "SYMSRV:  BYINDEX", one a line.
    if (this.afterSymsrv && /^\s+\S+$/.test(line)) return true;
    this.afterSymsrv = false;
    // kP: "00 0019fe80 00401089     Calc!Divide(" opens an argument list closed lines later.
    if (opensArgList(line) && this.parse(`${line})`) !== null) {
      this.pendingFrame = line.trimEnd();
      this.pendingLines = 0;
      return true;
    }
    const frame = this.parse(line);
    if (!frame) {
      // A paste that wrapped a long kv line: keep its first half for the next line.
      if (isWrappedFrameHead(line)) {
        this.held = line.trimEnd();
        return true;
      }
      this.noteUnreadable(line);
      return false;
    }
    this.push(frame);
    return true;
  }

  /** A numbered frame line the parser refused ends the stack; said, so the cut is not silent. */
  private noteUnreadable(line: string): void {
    const numbered = NUMBERED_FRAME_START.exec(line);
    if (!numbered || this.lines.length === 0) return;
    const n = parseInt(numbered[1]!, 16);
    // Its number is taken, so the next frame's number does not count as a second loss.
    this.lastNumber = n;
    const text = line.trim();
    this.noteLost(`frame ${n.toString(16).padStart(2, '0')} could not be read (the line is cut or damaged: "${text.length > 60 ? `${text.slice(0, 60)}…` : text}")`);
  }

  private noteLost(message: string): void {
    if (this.lost.length < MAX_LOST_NOTES) this.lost.push(message);
  }

  /** Ends the stack: a kP frame cut off before its closing parenthesis still counts. */
  finish(): void {
    // The first half of a wrapped frame whose second half never came: the text ends inside it.
    if (this.held !== null) this.noteUnreadable(this.held);
    this.held = null;
    if (this.pendingFrame === null) return;
    const text = this.pendingFrame;
    this.pendingFrame = null;
    const frame = this.parse(`${text})`);
    if (frame) this.push(frame);
  }

  private continueFrame(line: string): boolean {
    const piece = line.trim();
    if (!piece || this.pendingLines >= MAX_ARG_LINES || this.pendingFrame!.length + piece.length > MAX_ARG_CHARS) {
      this.finish();
      return piece ? this.feed(line) : false;
    }
    this.pendingFrame = `${this.pendingFrame} ${piece}`;
    this.pendingLines++;
    if (!opensArgList(this.pendingFrame)) {
      const text = this.pendingFrame;
      this.pendingFrame = null;
      const frame = this.parse(text) ?? this.parse(`${text})`);
      if (frame) this.push(frame);
    }
    return true;
  }

  private push(frame: FrameLine): void {
    if (this.lines.length >= MAX_TEXT_FRAMES) {
      this.dropped++;
      return;
    }
    const n = frame.number;
    if (n !== null && this.lastNumber !== null && n > this.lastNumber + 1) {
      const from = (this.lastNumber + 1).toString(16).padStart(2, '0');
      const to = (n - 1).toString(16).padStart(2, '0');
      this.noteLost(`${from === to ? `frame ${from} is` : `frames ${from}–${to} are`} not in the text (the frame numbers skip from ${this.lastNumber.toString(16).padStart(2, '0')} to ${n.toString(16).padStart(2, '0')})`);
    }
    if (n !== null) this.lastNumber = n;
    this.lines.push(this.pendingNote ? { frame, note: this.pendingNote } : { frame });
    this.pendingNote = null;
  }
}
