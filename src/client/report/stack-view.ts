// A thread's stack laid out as WinDbg's `kn` prints it (` # Child-SP RetAddr Call Site`, or
// ChildEBP for 32-bit), with the findings' evidence frames marked and their notes beside them,
// each frame saying how it was found. A WOW64 thread gets both of its stacks and a switch
// between the x86 view (`.effmach x86`) and the native one.
//
// A stack can hold 65 536 frames (a text's cap), and a row is ~7 elements: drawn whole that was
// 17 s of one task and 2 GB. So a block shows its first FIRST_ROWS rows (more when evidence lies
// further down), and the rest on request, a page or all of it, built in short slices.
import type { Thread } from '../../engine/core/dump-model.ts';
import type { Report, StackView } from '../../engine/report/schema.ts';
import { frameNotes, frameNumber, stackHeader, stackLines, viewBits, type FrameNotes, type StackLine } from '../../render/stack-lines.ts';
import { el, shownText } from '../dom.ts';
import type { RenderContext } from './context.ts';
import { trustWords } from '../../engine/core/frame-trust.ts';
import { inSlices, yieldToPage } from './slices.ts';
import { sourceText } from '../../engine/core/frame-text.ts';
import { copyText } from './actions.ts';

/** The frame's source line as WinDbg prints it ("[C:\\src\\order.c @ 15]"): a button that copies "C:\\src\\order.c:15". */
function sourceButton(source: { file: string; line: number }): HTMLElement {
  const target = sourceText(source);
  const button = el('button', { type: 'button', class: 'source', 'data-source': target, title: `Copy ${target}` }, `[${source.file} @ ${source.line}]`);
  button.addEventListener('click', () => void copyText(target));
  return button;
}

// Frames found by scanning the stack for return addresses may be stale values; the reader
// should see that before trusting them.
const UNCERTAIN = new Set(['scan', 'none']);
const MAX_SITE_COLUMNS = 36;
/** Rows drawn at first (in slices past the first CHUNK_ROWS); a real stack rarely has more. */
export const FIRST_ROWS = 256;
/** Rows built in one slice, and drawn with the block itself. */
const CHUNK_ROWS = 64;
/** Characters of a row shown; a longer call site is hostile input (the rest is in the JSON). */
const MAX_ROW_CHARS = 1024;
/** Rows the furthest evidence may pull into the first drawing. */
const MAX_FIRST_ROWS = 1024;
/** Rows one "more" adds. */
export const MORE_ROWS = 1024;

/**
 * A block of rows, skipped while off screen (analyzer.css). Until it is first drawn the browser
 * sizes it by its --lines: with one fixed guess, a three-frame stack below the fold was a
 * 1 200-pixel empty box that shrank as it came into view, moving everything under it.
 */
function rowsBlock(lines: readonly StackLine[]): HTMLElement {
  let count = 0;
  for (const l of lines) count += 1 + (l.frame.note ? 1 : 0) + l.notes.length;
  const block = el('span', { class: 'stack-rows' });
  block.style.setProperty('--lines', String(count));
  return block;
}

function frameRow(line: StackLine, titles: Map<string, string>): Node[] {
  const f = line.frame;
  const out: Node[] = [];
  if (f.note) out.push(el('span', { class: 'frame-warning code' }, `WARNING: ${f.note}`), document.createTextNode('\n'));
  const uncertain = UNCERTAIN.has(f.trust);
  const classes = ['frame', `trust-${f.trust}`];
  if (line.notes.length > 0) classes.push('evidence');
  if (uncertain) classes.push('uncertain');
  const row = el(
    'span',
    { class: classes.join(' '), 'data-index': String(f.index), title: `found by ${trustWords(f.trust)}` },
    el('span', { class: 'num' }, frameNumber(f.index)),
    ' ',
    // The call site and its source line, padded together so "how found" and the notes line up.
    el('span', { class: 'site' }, el('span', { class: 'code' }, shownText(line.textWithoutSource, MAX_ROW_CHARS)), ...(f.source ? [' ', sourceButton(f.source)] : [])),
  );
  // Debugger text already is the debugger's word; anything we unwound says how.
  if (f.trust !== 'text') row.append(el('span', { class: 'how' }, `  [${trustWords(f.trust)}${uncertain ? '?' : ''}]`));
  if (line.notes.length > 0) {
    const notes = line.notes.map((n) => el('span', { class: 'note-item' }, `← ${titles.get(n.pattern) ?? n.pattern}: ${n.note}`));
    row.append(el('span', { class: 'note' }, ...notes));
  }
  out.push(row, document.createTextNode('\n'));
  return out;
}

/**
 * The rows of frames [from, to) of one stack, laid out for those frames only, with the notes
 * that fall on them (gathered once per stack by frameNotes).
 */
function linesOf(thread: Thread, view: StackView, bits: 32 | 64, notes: FrameNotes, from: number, to: number): StackLine[] {
  const frames = view === 'x86' ? (thread.x86Frames ?? []) : thread.frames;
  const part = frames.slice(from, to);
  return stackLines(view === 'x86' ? { ...thread, x86Frames: part } : { ...thread, frames: part }, view, bits, notes);
}

/** How many rows to draw at first: FIRST_ROWS, or down to the last evidence row within MAX_FIRST_ROWS. */
function firstRows(notes: FrameNotes, total: number): number {
  let last = -1;
  for (const i of notes.keys()) if (i < MAX_FIRST_ROWS) last = Math.max(last, i);
  return Math.min(total, Math.max(FIRST_ROWS, last + 1));
}

export function stackBlock(report: Report, thread: Thread, view: StackView, ctx: RenderContext = { decorateStack: () => {} }): HTMLElement {
  const bits = viewBits(view, report.system.arch);
  const pre = el('pre', { class: 'stack', 'data-view': view, 'data-thread': String(thread.id), tabindex: '0' });
  pre.append(el('span', { class: 'stack-header' }, ' # ', el('span', { class: 'code' }, stackHeader(bits))), '\n');
  const total = (view === 'x86' ? (thread.x86Frames ?? []) : thread.frames).length;
  const titles = new Map(report.findings.map((f) => [f.pattern, f.title]));
  const notes = frameNotes(thread, view, report.findings);
  const shown = firstRows(notes, total);
  const first = linesOf(thread, view, bits, notes, 0, Math.min(shown, CHUNK_ROWS));
  // "How found" and the notes line up in one column after the call sites, up to a cap so one
  // long C++ name does not push every note out of view (set through the CSSOM: the page's CSP
  // allows no style="" attribute). Measured on the rows drawn first.
  let columns = 0;
  for (const l of first) columns = Math.max(columns, l.text.length);
  columns = Math.min(columns, (bits === 64 ? 36 : 18) + MAX_SITE_COLUMNS);
  pre.style.setProperty('--code-width', `${columns}ch`);
  if (total === 0) {
    pre.append(el('span', { class: 'stack-empty' }, '    (no frames in this input)'), '\n');
  }
  const rows = rowsBlock(first);
  for (const line of first) rows.append(...frameRow(line, titles));
  pre.append(rows);
  const end = view === 'native' && thread.framesNote ? el('span', { class: 'stack-end' }, `    (${thread.framesNote})`) : null;
  if (first.length < total) pre.append(moreRows(thread, view, bits, notes, first.length, shown, total, titles, pre, ctx));
  if (end) pre.append(end, '\n');
  return pre;
}

/**
 * The rows after the first chunk: drawn in slices up to `shown`, then "Show 1024 more" and
 * "Show all" for the rest. Each chunk of rows is its own element, handed to the highlighter.
 */
function moreRows(
  thread: Thread,
  view: StackView,
  bits: 32 | 64,
  notes: FrameNotes,
  from: number,
  shown: number,
  total: number,
  titles: Map<string, string>,
  pre: HTMLElement,
  ctx: RenderContext,
): HTMLElement {
  let next = from;
  const bar = el('span', { class: 'stack-more' });
  const status = el('span', { class: 'stack-more-status muted' });
  const more = el('button', { type: 'button', class: 'show-more', 'data-action': 'more-frames' });
  const all = el('button', { type: 'button', class: 'show-more', 'data-action': 'all-frames' });
  const label = (busy: boolean): void => {
    const left = total - next;
    status.textContent = busy ? `    drawing frames… (${next} of ${total}) ` : `    ${left} more frame${left === 1 ? '' : 's'} (${next} of ${total} shown) `;
    more.textContent = `Show ${Math.min(MORE_ROWS, left)} more`;
    all.textContent = `Show all ${total}`;
    more.hidden = busy || left === 0;
    all.hidden = busy || left <= MORE_ROWS;
  };
  const add = async (count: number): Promise<void> => {
    label(true);
    const stop = Math.min(total, next + count);
    const start = next;
    const chunks = Math.ceil((stop - start) / CHUNK_ROWS);
    await inSlices(
      0,
      chunks,
      (c) => {
        const a = start + c * CHUNK_ROWS;
        const b = Math.min(stop, a + CHUNK_ROWS);
        const lines = linesOf(thread, view, bits, notes, a, b);
        const chunk = rowsBlock(lines);
        for (const line of lines) chunk.append(...frameRow(line, titles));
        pre.insertBefore(chunk, bar);
        next = b;
        ctx.decorateStack(chunk);
      },
      () => bar.isConnected,
    );
    if (next >= total) bar.remove();
    else label(false);
  };
  more.addEventListener('click', () => void add(MORE_ROWS));
  all.addEventListener('click', () => void add(total));
  bar.append(status, more, ' ', all, '\n');
  // The rest of the first drawing follows the block (once it is on the page), a slice at a time.
  if (next < shown) {
    label(true);
    void yieldToPage().then(() => add(shown - next));
  } else label(false);
  return bar;
}

/** The thread's stacks: one block, or for a WOW64 thread the x86 and native blocks and a switch. */
export function threadStacks(report: Report, thread: Thread, ctx: RenderContext): HTMLElement {
  const wrap = el('div', { class: 'stacks' });
  const hasX86 = (thread.x86Frames?.length ?? 0) > 0;
  if (!hasX86) {
    const pre = stackBlock(report, thread, 'native', ctx);
    wrap.append(pre);
    ctx.decorateStack(pre);
    return wrap;
  }
  const x86 = stackBlock(report, thread, 'x86', ctx);
  const native = stackBlock(report, thread, 'native', ctx);
  native.hidden = true;
  const nativeName = `native ${report.system.arch === 'arm64' ? 'ARM64' : 'x64'}`;
  const showing = el('span', { class: 'view-showing' }, 'x86 stack (.effmach x86)');
  const toggle = el('button', { type: 'button', class: 'view-toggle', 'aria-pressed': 'true' }, 'x86 view (.effmach x86)');
  toggle.addEventListener('click', () => {
    const showX86 = x86.hidden;
    x86.hidden = !showX86;
    native.hidden = showX86;
    toggle.setAttribute('aria-pressed', String(showX86));
    showing.textContent = showX86 ? 'x86 stack (.effmach x86)' : `${nativeName} stack (the WOW64 layer)`;
  });
  wrap.append(
    el('p', { class: 'view-switch' }, 'A WOW64 thread has two stacks. ', toggle, ' Showing: ', showing, '.'),
    x86,
    native,
  );
  ctx.decorateStack(x86);
  ctx.decorateStack(native);
  return wrap;
}
