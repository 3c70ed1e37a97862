// The exception: its code and what the code means, where it was raised, and for an access
// violation what was attempted at which address.
import type { Report } from '../../engine/report/schema.ts';
import { exceptionAddressText } from '../../render/text-report.ts';
import { el } from '../dom.ts';
import { threadLabel } from '../../engine/core/thread-label.ts';
import { frameText } from '../../engine/core/frame-text.ts';

const ACCESS_WORDS = { read: 'reading', write: 'writing', execute: 'executing code at', unknown: 'accessing' } as const;

export function exceptionSection(report: Report): HTMLElement {
  const ex = report.exception;
  const section = el('section', { 'aria-labelledby': 'r-ex' }, el('h3', { id: 'r-ex' }, 'Exception'));
  if (!ex) {
    section.append(el('p', {}, report.dump.manual ? 'None: the dump was taken on request, not by a crash.' : 'No exception recorded in this input.'));
    return section;
  }
  const thread = ex.threadId === null ? null : report.threads.find((t) => t.id === ex.threadId);
  const where = ex.module ? frameText({ address: ex.address ?? '0x0', module: ex.module, symbol: ex.symbol, offset: null }) : null;
  const dl = el('dl', { class: 'glance exception' });
  const rows: [string, Node | string | null][] = [
    ['Code', el('span', {}, el('code', { class: 'exception-code' }, ex.code), ex.name ? ` ${ex.name}` : '')],
    ['Meaning', ex.description],
    ['Address', el('span', {}, el('code', {}, exceptionAddressText(report)), where ? ` in ${where}` : '')],
    ['Access', ex.access ? `${ACCESS_WORDS[ex.access.kind]} ${ex.access.address}${ex.access.address === '0x0' ? ' (a NULL pointer)' : ''}` : null],
    ['Thread', ex.threadId === null ? null : thread ? threadLabel(thread) : `0x${ex.threadId.toString(16)}`],
    ['Parameters', ex.parameters.length > 0 ? ex.parameters.join(' ') : null],
    ['Nested', ex.nested && ex.nested.length > 0 ? ex.nested.map((n) => `${n.code}${n.name ? ` ${n.name}` : ''} at ${n.address}`).join('; ') : null],
  ];
  for (const [k, v] of rows) if (v) dl.append(el('dt', {}, k), el('dd', {}, v));
  section.append(dl);
  return section;
}
