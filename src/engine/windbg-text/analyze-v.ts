// `!analyze -v` output. Every "KEY:  value" line becomes an annotation; a few keys also feed
// the model (ERROR_CODE, FAULTING_THREAD, LAST_CONTROL_TRANSFER, PROCESS_NAME…). Old
// versions print the faulting stack without a STACK_TEXT label, between the other keys, so
// any run of frame lines inside the block is read as the analysis stack.
import { parseHex } from '../core/hex.ts';
import { parseFrameLine } from './frame-line.ts';
import { StackCollector, type StackLine } from './stack-line.ts';

export function isAnalysisBanner(line: string): boolean {
  return /^\s*\*\s+(?:Exception|Bugcheck) Analysis\s+\*\s*$/.test(line);
}

/** Keys trusted even outside a recognised `!analyze` block (pasted fragments). */
const KNOWN_KEYS = new Set([
  'EXCEPTION_RECORD', 'ERROR_CODE', 'EXCEPTION_CODE', 'EXCEPTION_CODE_STR', 'EXCEPTION_PARAMETER1', 'EXCEPTION_PARAMETER2',
  'SYMBOL_NAME', 'MODULE_NAME', 'IMAGE_NAME', 'FAULTING_THREAD', 'PROCESS_NAME', 'FAILURE_BUCKET_ID', 'BUCKET_ID',
  'DEFAULT_BUCKET_ID', 'PRIMARY_PROBLEM_CLASS', 'LAST_CONTROL_TRANSFER', 'STACK_TEXT', 'FAULTING_IP', 'READ_ADDRESS',
  'WRITE_ADDRESS', 'FOLLOWUP_NAME', 'FOLLOWUP_IP', 'STACK_COMMAND', 'BUGCHECK_CODE', 'BUGCHECK_STR', 'FAULTING_MODULE',
  'FAULTING_SOURCE_LINE', 'FAILURE_ID_HASH', 'OS_VERSION', 'OSNAME', 'PROBLEM_CLASSES', 'CONTEXT', 'EXCEPTION_MESSAGE',
]);

// Words that look like keys but start debugger messages.
const NOT_KEYS = new Set(['WARNING', 'ERROR', 'NOTE', 'FIXME', 'TODO', 'HINT']);

export interface AnalysisKey {
  key: string;
  value: string;
}

export function parseAnalysisKey(line: string, insideAnalysis: boolean): AnalysisKey | null {
  // A little indentation is allowed: forums and markdown indent pasted output as a block.
  const m = /^\s{0,8}([A-Z][A-Z0-9_]*(?:\.[A-Za-z0-9_]+)*):\s*(\S.*)?$/.exec(line);
  if (!m) return null;
  const key = m[1]!;
  if (NOT_KEYS.has(key)) return null;
  if (!insideAnalysis && !KNOWN_KEYS.has(key)) return null;
  return { key, value: (m[2] ?? '').trim() };
}

/** "(NTSTATUS) 0x6d9 - There are no more endpoints available from the endpoint mapper." */
export function parseErrorCode(value: string): { code: number; text: string | null } | null {
  // The code, then " - " and the words: split at the dash by position, each side matched alone.
  const t = value.trim();
  const dash = t.indexOf(' - ');
  const m = /^(?:\(([A-Z0-9_]+)\)\s*)?(?:0x)?([0-9a-f]{1,8})$/i.exec(dash < 0 ? t : t.slice(0, dash).trimEnd());
  if (!m) return null;
  return { code: parseInt(m[2]!, 16) >>> 0, text: dash < 0 ? null : t.slice(dash + 3).trim() || null };
}

/** "from 000000006b0064f2 to 000000006b006369". */
export function parseControlTransfer(value: string): { from: bigint; to: bigint } | null {
  const m = /^from\s+([0-9a-f`]+)\s+to\s+([0-9a-f`]+)/i.exec(value.trim());
  if (!m) return null;
  const from = parseHex(m[1]!);
  const to = parseHex(m[2]!);
  return from === null || to === null ? null : { from, to };
}

/** Multi-line values are kept, but only this much of each: they are for people, not parsing. */
const MAX_VALUE = 4096;

/**
 * Reads one `!analyze -v` block line by line. `feed` claims key lines, their continuation
 * lines and stack lines; anything it returns false for is left to the other parsers.
 */
export class AnalysisBlock {
  readonly annotations: Record<string, string> = {};
  /** The longest run of frames in the block (STACK_TEXT, or the unlabeled old form). */
  stack: StackLine[] = [];
  /** The last key read: register lines after "CONTEXT:" are the exception context. */
  lastKey: string | null = null;
  private run: StackCollector | null = null;
  private openKey: string | null = null;
  private pendingKvKey: string | null = null;

  feed(line: string): boolean {
    if (!line.trim()) {
      this.endRun();
      this.openKey = null;
      return true;
    }
    const kv = /^\s+Key\s*:\s*(\S.*)$/.exec(line);
    if (kv) {
      this.pendingKvKey = kv[1]!.trim();
      return true;
    }
    const kvValue = /^\s+Value\s*:\s*(\S.*)?$/.exec(line);
    if (kvValue && this.pendingKvKey) {
      this.annotations[this.pendingKvKey] = (kvValue[1] ?? '').trim();
      this.pendingKvKey = null;
      return true;
    }
    const key = parseAnalysisKey(line, true);
    if (key) {
      this.endRun();
      this.lastKey = key.key;
      // The stack itself becomes frames; an empty STACK_TEXT annotation would say nothing.
      if (key.key !== 'STACK_TEXT' || key.value) this.annotations[key.key] = key.value;
      this.openKey = key.value === '' ? key.key : null;
      if (key.key === 'STACK_TEXT') this.run = new StackCollector(parseFrameLine);
      return true;
    }
    if (!this.run && (this.openKey === null || this.openKey === 'STACK_TEXT')) {
      const probe = new StackCollector(parseFrameLine);
      if (probe.feed(line)) {
        this.run = probe;
        return true;
      }
    } else if (this.run && this.run.feed(line)) {
      return true;
    }
    this.endRun();
    if (this.openKey && this.openKey !== 'STACK_TEXT') {
      const prev = this.annotations[this.openKey] ?? '';
      const next = prev ? `${prev}\n${line.trim()}` : line.trim();
      this.annotations[this.openKey] = next.slice(0, MAX_VALUE);
      // Claimed for the annotation, but exception-record lines must still reach the exr parser.
      return false;
    }
    return false;
  }

  /** Closes the block (a prompt or the end of the text). */
  end(): void {
    this.endRun();
  }

  private endRun(): void {
    this.run?.finish();
    if (this.run && this.run.lines.length > this.stack.length) this.stack = this.run.lines;
    this.run = null;
  }
}
