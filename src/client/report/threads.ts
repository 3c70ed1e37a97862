// The faulting thread's annotated stack up front, then every thread as a collapsible
// <details> whose stacks are only built when it is opened: a dump can hold thousands, so the
// first FIRST_THREADS are listed and the rest on request, in slices.
import type { Thread } from '../../engine/core/dump-model.ts';
import type { Report } from '../../engine/report/schema.ts';

import { faultingThread } from '../../render/text-report.ts';
import { el, shownText } from '../dom.ts';
import type { RenderContext } from './context.ts';
import { threadStacks } from './stack-view.ts';
import { inSlices, yieldToPage } from './slices.ts';
import { frameText } from '../../engine/core/frame-text.ts';
import { threadLabel } from '../../engine/core/thread-label.ts';

function threadTitle(thread: Thread): string {
  return `${threadLabel(thread)}${thread.name ? ` “${thread.name}”` : ''}`;
}

export function faultingStackSection(report: Report, ctx: RenderContext): HTMLElement | null {
  const thread = faultingThread(report);
  if (!thread) return null;
  // Not "First thread" for a thread shown because thread 0 has no stack (text-report.ts).
  const why = report.exception?.threadId === thread.id ? 'Faulting thread' : thread.faulting ? 'Current thread' : thread === report.threads[0] ? 'First thread' : 'Thread';
  return el(
    'section',
    { class: 'faulting-stack', 'aria-labelledby': 'r-stack' },
    el('h3', { id: 'r-stack' }, `${why} ${threadTitle(thread)}`),
    threadStacks(report, thread, ctx),
    el(
      'p',
      { class: 'legend muted' },
      'Highlighted rows are the evidence for a pattern, with its note under it. Rows in italics with a “?” were found by scanning the stack and may be stale values.',
    ),
  );
}

/** Threads listed with the section itself, listed in slices right after, and added by each "more". */
const THREADS_AT_ONCE = 50;
export const FIRST_THREADS = 200;
export const MORE_THREADS = 1000;

function threadItem(report: Report, thread: Thread, faulting: Thread | null, ctx: RenderContext): HTMLElement {
  const top = thread.x86Frames?.[0] ?? thread.frames[0];
  const details = el(
    'details',
    { class: 'thread', 'data-thread': String(thread.id) },
    el(
      'summary',
      {},
      el('span', { class: 'thread-title' }, threadTitle(thread)),
      // Only a thread the exception (or the debugger's current-thread marker) names is tagged: the
      // first thread of a dump taken on request is shown first, but nothing faulted on it.
      thread === faulting && (report.exception?.threadId === thread.id || thread.faulting) ? el('span', { class: 'tag' }, 'faulting') : null,
      (thread.x86Frames?.length ?? 0) > 0 ? el('span', { class: 'tag' }, 'WOW64') : null,
      el('span', { class: 'thread-top' }, top ? ` ${shownText(frameText(top), 256)}` : ' (no frames)'),
    ),
  );
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) details.append(threadStacks(report, thread, ctx));
  });
  return details;
}

export function threadsSection(report: Report, ctx: RenderContext): HTMLElement | null {
  if (report.threads.length === 0) return null;
  const faulting = faultingThread(report);
  const list = el('div', { class: 'thread-list' });
  const total = report.threads.length;
  let next = Math.min(total, THREADS_AT_ONCE);
  for (let i = 0; i < next; i++) list.append(threadItem(report, report.threads[i]!, faulting, ctx));
  const section = el('section', { 'aria-labelledby': 'r-threads' }, el('h3', { id: 'r-threads' }, `Threads (${total})`), list);
  if (next >= total) return section;
  // The rest of the first FIRST_THREADS in slices once the section is on the page; thousands
  // more on request, in slices too.
  const more = el('button', { type: 'button', class: 'show-more', 'data-action': 'more-threads' });
  const bar = el('p', { class: 'thread-more' }, more);
  const label = (busy: boolean): void => {
    more.disabled = busy;
    more.textContent = busy ? `Listing threads… (${next} of ${total})` : `Show ${Math.min(MORE_THREADS, total - next)} more threads (${next} of ${total} shown)`;
  };
  const add = async (count: number): Promise<void> => {
    label(true);
    await inSlices(next, Math.min(total, next + count), (i) => {
      list.append(threadItem(report, report.threads[i]!, faulting, ctx));
      next = i + 1;
    }, () => bar.isConnected);
    if (next >= total) bar.remove();
    else label(false);
  };
  more.addEventListener('click', () => void add(MORE_THREADS));
  section.append(bar);
  label(true);
  void yieldToPage().then(() => add(FIRST_THREADS - next));
  return section;
}
