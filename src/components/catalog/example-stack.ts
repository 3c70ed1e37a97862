// A pattern page's example: which stack of the example's report to show, laid out as WinDbg's
// `kn` prints it (src/render/stack-lines.ts, shared with the CLI and the analyzer), coloured by
// shiki with our WinDbg grammar, the frames the finding points at marked with its notes.
import { createHighlighter, type ShikiTransformer } from 'shiki';
import windbgGrammar from '../../render/windbg.tmLanguage.json' with { type: 'json' };
import { faultingThread } from '../../render/text-report.ts';
import { frameNotes, frameNumber, stackHeader, stackLines, viewBits, type StackLine } from '../../render/stack-lines.ts';
import type { Thread } from '../../engine/core/dump-model.ts';
import type { Evidence, Finding, Report, StackView } from '../../engine/report/schema.ts';
import { trustWords } from '../../engine/core/frame-trust.ts';
import { threadLabel } from '../../engine/core/thread-label.ts';

export interface StackChoice {
  thread: Thread;
  view: StackView;
}

/**
 * The stack that tells the finding's story best: the faulting thread's, when the finding points
 * at frames there; else the first thread it points at (frames, then a whole thread); else the
 * faulting thread. A WOW64 thread is shown in the view the evidence names, or the x86 view,
 * which is where the program's own frames are.
 */
export function chooseStack(report: Report, finding: Finding): StackChoice | null {
  const faulting = faultingThread(report);
  const frameEvidence = finding.evidence.filter((e): e is Extract<Evidence, { kind: 'frames' }> => e.kind === 'frames');
  const pick =
    frameEvidence.find((e) => e.threadId === faulting?.id && e.frames.length > 0) ?? frameEvidence.find((e) => e.frames.length > 0);
  if (pick) {
    const thread = report.threads.find((t) => t.id === pick.threadId);
    if (thread && framesOf(thread, pick.view).length > 0) return { thread, view: pick.view };
  }
  const threadEvidence = finding.evidence.find((e) => e.kind === 'thread');
  const thread = (threadEvidence && report.threads.find((t) => t.id === threadEvidence.threadId)) ?? faulting;
  if (!thread) return null;
  const view: StackView = thread.x86Frames && thread.x86Frames.length > 0 ? 'x86' : 'native';
  return framesOf(thread, view).length > 0 ? { thread, view } : null;
}

function framesOf(thread: Thread, view: StackView) {
  return view === 'x86' ? (thread.x86Frames ?? []) : thread.frames;
}

/** How many rows a page shows: enough to reach the evidence, never a thousand-frame overflow. */
export const MAX_ROWS = 40;

export interface ExampleStack {
  /** The WinDbg command a reader would type to see the same stack. */
  prompt: string;
  caption: string;
  /** Rows shown (at most MAX_ROWS), each with the finding's notes. */
  lines: StackLine[];
  /** Frames left out after the last row shown. */
  omitted: number;
  /** Rows that carry evidence. */
  marked: number;
  /** Rows found by stack scanning or not at all, shown as less certain. */
  doubtful: number;
  /** Shiki's HTML of the block; the marked rows carry class "ev" and their note. */
  html: string;
}

export async function renderExampleStack(report: Report, finding: Finding, choice: StackChoice): Promise<ExampleStack> {
  const { thread, view } = choice;
  const bits = viewBits(view, report.system.arch);
  const all = stackLines(thread, view, bits, frameNotes(thread, view, [finding]));
  const lastMarked = all.reduce((last, l, i) => (l.notes.length > 0 ? i : last), -1);
  const shown = all.slice(0, Math.min(all.length, MAX_ROWS, Math.max(16, lastMarked + 4)));
  const omitted = all.length - shown.length;
  const ordinal = String(thread.ordinal).padStart(3, '0');
  const prompt = `0:${ordinal}${view === 'x86' ? ':x86' : ''}> kn`;
  const code = [prompt, ` # ${stackHeader(bits)}`, ...shown.map((l) => `${frameNumber(l.frame.index)} ${l.text}`)];
  if (omitted > 0) code.push(`   (${omitted} more frame${omitted === 1 ? '' : 's'} not shown)`);
  // The first two rows of the block are the prompt and the column header.
  const byRow = new Map<number, StackLine>(shown.map((l, i) => [i + 3, l]));
  const highlighter = await highlighterOnce();
  const html = highlighter.codeToHtml(code.join('\n'), {
    lang: 'windbg',
    themes: { light: 'github-light', dark: 'github-dark' },
    // Colours follow the page's color-scheme, which the theme toggle sets.
    defaultColor: 'light-dark()',
    transformers: [markEvidence(byRow)],
  });
  const name = thread.name ? ` “${thread.name}”` : '';
  const caption = `Thread ${threadLabel(thread)}${name}${view === 'x86' ? ', x86 view (.effmach x86)' : report.process.wow64 ? ', native view' : ''}`;
  return { prompt, caption, lines: shown, omitted, marked: shown.filter((l) => l.notes.length > 0).length, doubtful: shown.filter((l) => isDoubtful(l)).length, html };
}

function markEvidence(byRow: Map<number, StackLine>): ShikiTransformer {
  return {
    name: 'dumpatlas:evidence',
    line(node, row) {
      const line = byRow.get(row);
      if (!line) return;
      const extra: typeof node.children = [];
      if (isDoubtful(line)) {
        this.addClassToHast(node, 'doubtful');
        extra.push(span('how', `  [${trustWords(line.frame.trust)}]`));
      }
      if (line.notes.length > 0) {
        this.addClassToHast(node, 'ev');
        node.properties['data-frame'] = String(line.frame.index);
        // A run of rows with one note (six WOW64 frames, a recursion) says it once, on its first row.
        const note = noteOf(line);
        if (note !== noteOf(byRow.get(row - 1))) extra.push(span('ev-note', `  ← ${note}`));
      }
      node.children.push(...extra);
    },
  };
}

function isDoubtful(line: StackLine): boolean {
  return line.frame.trust === 'scan' || line.frame.trust === 'none';
}

function noteOf(line: StackLine | undefined): string {
  return line ? line.notes.map((n) => n.note).join('; ') : '';
}

function span(cls: string, text: string) {
  return { type: 'element' as const, tagName: 'span', properties: { class: cls }, children: [{ type: 'text' as const, value: text }] };
}

let highlighter: ReturnType<typeof createHighlighter> | null = null;
function highlighterOnce(): ReturnType<typeof createHighlighter> {
  highlighter ??= createHighlighter({ themes: ['github-light', 'github-dark'], langs: [{ ...windbgGrammar } as never] });
  return highlighter;
}

/** One sentence per piece of evidence that is not a stack row, for the list under the stack. */
export function describeEvidence(e: Evidence, report: Report): string {
  switch (e.kind) {
    case 'frames': {
      const which = e.frames.map(frameNumber).join(', ');
      return `Thread 0x${e.threadId.toString(16)}, ${e.view === 'x86' ? 'x86' : 'native'} frame${e.frames.length === 1 ? '' : 's'} ${which}: ${e.note}`;
    }
    case 'thread':
      return `Thread 0x${e.threadId.toString(16)}: ${e.note}`;
    case 'module':
      return `Module ${e.name}: ${e.note}`;
    case 'exception':
      return `The exception record${report.exception ? ` (${report.exception.code}${report.exception.name ? ` ${report.exception.name}` : ''})` : ''}: ${e.note}`;
    case 'field': {
      const value = fieldValue(report, e.path);
      return `${e.path}${value === null ? '' : ` = ${value}`}: ${e.note}`;
    }
  }
}

/** A model field by dotted path, as short text; null when absent or not a scalar. */
export function fieldValue(report: Report, path: string): string | null {
  let at: unknown = report;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[key];
  }
  if (typeof at === 'string') return at.length > 120 ? `${at.slice(0, 117)}…` : at;
  if (typeof at === 'number' || typeof at === 'boolean') return String(at);
  return null;
}
