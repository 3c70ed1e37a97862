// A thread's stack laid out as WinDbg's `kn` prints it (` # Child-SP RetAddr Call Site`, or
// ChildEBP for 32-bit), with the findings' evidence frames marked and their notes beside them,
// each frame saying how it was found. A WOW64 thread gets both of its stacks and a switch
// between the x86 view (`.effmach x86`) and the native one.
import type { Thread } from '../../engine/core/dump-model.ts';
import type { Report, StackView } from '../../engine/report/schema.ts';
import { frameNumber, stackHeader, stackLines, viewBits } from '../../render/stack-lines.ts';
import { el } from '../dom.ts';
import type { RenderContext } from './context.ts';
import { trustWords } from '../../engine/core/frame-trust.ts';
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

export function stackBlock(report: Report, thread: Thread, view: StackView): HTMLElement {
  const bits = viewBits(view, report.system.arch);
  const pre = el('pre', { class: 'stack', 'data-view': view, 'data-thread': String(thread.id), tabindex: '0' });
  pre.append(el('span', { class: 'stack-header' }, ' # ', el('span', { class: 'code' }, stackHeader(bits))), '\n');
  const lines = stackLines(thread, view, bits, report.findings);
  const titles = new Map(report.findings.map((f) => [f.pattern, f.title]));
  // "How found" and the notes line up in one column after the call sites, up to a cap so one
  // long C++ name does not push every note out of view (set through the CSSOM: the page's CSP
  // allows no style="" attribute).
  const columns = Math.min(Math.max(0, ...lines.map((l) => l.text.length)), (bits === 64 ? 36 : 18) + MAX_SITE_COLUMNS);
  pre.style.setProperty('--code-width', `${columns}ch`);
  if (lines.length === 0) {
    pre.append(el('span', { class: 'stack-empty' }, '    (no frames in this input)'), '\n');
  }
  for (const line of lines) {
    const f = line.frame;
    if (f.note) pre.append(el('span', { class: 'frame-warning code' }, `WARNING: ${f.note}`), '\n');
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
      el('span', { class: 'site' }, el('span', { class: 'code' }, line.textWithoutSource), ...(f.source ? [' ', sourceButton(f.source)] : [])),
    );
    // Debugger text already is the debugger's word; anything we unwound says how.
    if (f.trust !== 'text') row.append(el('span', { class: 'how' }, `  [${trustWords(f.trust)}${uncertain ? '?' : ''}]`));
    if (line.notes.length > 0) {
      const notes = line.notes.map((n) => el('span', { class: 'note-item' }, `← ${titles.get(n.pattern) ?? n.pattern}: ${n.note}`));
      row.append(el('span', { class: 'note' }, ...notes));
    }
    pre.append(row, '\n');
  }
  if (view === 'native' && thread.framesNote) pre.append(el('span', { class: 'stack-end' }, `    (${thread.framesNote})`), '\n');
  return pre;
}

/** The thread's stacks: one block, or for a WOW64 thread the x86 and native blocks and a switch. */
export function threadStacks(report: Report, thread: Thread, ctx: RenderContext): HTMLElement {
  const wrap = el('div', { class: 'stacks' });
  const hasX86 = (thread.x86Frames?.length ?? 0) > 0;
  if (!hasX86) {
    const pre = stackBlock(report, thread, 'native');
    wrap.append(pre);
    ctx.decorateStack(pre);
    return wrap;
  }
  const x86 = stackBlock(report, thread, 'x86');
  const native = stackBlock(report, thread, 'native');
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
