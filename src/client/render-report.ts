// Renders a report (the CLI's --json object) as page content: findings, cooperation, the
// dump at a glance, the exception, and the faulting thread's annotated stack.
import type { Thread } from '../engine/model/schema.ts';
import type { Report, StackView } from '../engine/report/schema.ts';
import { stackHeader, stackLines, trustWords, viewBits } from '../render/stack-lines.ts';
import { faultingThread } from '../render/text-report.ts';
import { el } from './dom.ts';

function findingsSection(report: Report): HTMLElement {
  const list = el('ul', { class: 'findings' });
  for (const f of report.findings) {
    list.append(
      el(
        'li',
        { class: 'finding', 'data-pattern': f.pattern },
        el('span', { class: `confidence confidence-${f.confidence}` }, f.confidence),
        ' ',
        el('a', { href: `/patterns/${encodeURIComponent(f.pattern)}/` }, f.title),
        el('p', {}, f.summary),
      ),
    );
  }
  return el(
    'section',
    { 'aria-labelledby': 'r-findings' },
    el('h2', { id: 'r-findings' }, 'Patterns that fire'),
    report.findings.length === 0 ? el('p', {}, 'No catalogued pattern fired on this input.') : list,
    report.cooperation ? el('p', { class: 'cooperation' }, el('strong', {}, 'Pattern cooperation: '), report.cooperation.text) : null,
  );
}

function glance(report: Report): HTMLElement {
  const rows: [string, string | null][] = [
    ['Input', `${report.input.name} (${report.input.format})`],
    ['Dump', report.dump.description],
    ['Comment', report.dump.comment],
    ['OS', report.system.os],
    ['Architecture', report.system.arch + (report.process.wow64 ? ' — WOW64: a 32-bit process in a 64-bit dump' : '')],
    ['Process', report.process.pid === null ? report.process.name : `${report.process.name ?? ''} pid ${report.process.pid}`.trim()],
  ];
  const dl = el('dl', { class: 'glance' });
  for (const [k, v] of rows) if (v) dl.append(el('dt', {}, k), el('dd', {}, v));
  return el('section', { 'aria-labelledby': 'r-glance' }, el('h2', { id: 'r-glance' }, 'The dump at a glance'), dl);
}

function exceptionSection(report: Report): HTMLElement {
  const ex = report.exception;
  return el(
    'section',
    { 'aria-labelledby': 'r-ex' },
    el('h2', { id: 'r-ex' }, 'Exception'),
    ex
      ? el(
          'p',
          {},
          el('code', {}, ex.code),
          ex.name ? ` ${ex.name}` : '',
          ex.description ? ` — ${ex.description}` : '',
          el('br'),
          `at ${ex.address}${ex.module ? ` in ${ex.module}${ex.symbol ? `!${ex.symbol}` : ''}` : ''}`,
        )
      : el('p', {}, 'No exception recorded in this input.'),
  );
}

export function stackBlock(report: Report, thread: Thread, view: StackView): HTMLElement {
  const bits = viewBits(view, report.system.arch);
  const pre = el('pre', { class: 'stack', 'data-view': view });
  pre.append(el('span', { class: 'stack-header' }, `   ${stackHeader(bits)}\n`));
  for (const line of stackLines(thread, view, bits, report.findings)) {
    const row = el(
      'span',
      { class: `frame trust-${line.frame.trust}${line.notes.length > 0 ? ' evidence' : ''}`, title: `found by ${trustWords(line.frame.trust)}` },
      `${String(line.frame.index).padStart(2, '0')} ${line.text}`,
    );
    if (line.notes.length > 0) row.append(el('span', { class: 'note' }, `  ← ${line.notes.map((n) => n.note).join('; ')}`));
    pre.append(row, '\n');
  }
  return pre;
}

function stackSection(report: Report): HTMLElement | null {
  const thread = faultingThread(report);
  if (!thread) return null;
  const hasX86 = (thread.x86Frames?.length ?? 0) > 0;
  const section = el(
    'section',
    { 'aria-labelledby': 'r-stack' },
    el('h2', { id: 'r-stack' }, `Faulting thread ${thread.ordinal} (id 0x${thread.id.toString(16)})`),
  );
  if (!hasX86) {
    section.append(stackBlock(report, thread, 'native'));
    return section;
  }
  const blocks = { x86: stackBlock(report, thread, 'x86'), native: stackBlock(report, thread, 'native') };
  blocks.native.hidden = true;
  const toggle = el('button', { type: 'button', class: 'view-toggle', 'aria-pressed': 'true' }, 'x86 view (.effmach x86)');
  toggle.addEventListener('click', () => {
    const showX86 = blocks.x86.hidden;
    blocks.x86.hidden = !showX86;
    blocks.native.hidden = showX86;
    toggle.setAttribute('aria-pressed', String(showX86));
    toggle.textContent = showX86 ? 'x86 view (.effmach x86)' : 'native x64 view';
  });
  section.append(el('p', {}, 'This WOW64 thread has two stacks. Showing: ', toggle), blocks.x86, blocks.native);
  return section;
}

export function renderReport(report: Report): HTMLElement {
  return el('div', { class: 'report' }, findingsSection(report), glance(report), exceptionSection(report), stackSection(report));
}
