// The loaded (and unloaded) modules as a table: range, name, version, timestamp, symbols.
//
// A text's `lm` can list hundreds of thousands of rows (the report keeps up to 100 000), and a
// row is seven elements: built at once, inside a closed <details>, 10^6 rows were 7 million
// elements and 21 s of one task. So a table is built only when its <details> opens, a page of
// PAGE_ROWS rows at a time, with buttons to move between pages.
import { big } from '../../engine/core/hex.ts';
import type { Module } from '../../engine/core/dump-model.ts';
import type { Report } from '../../engine/report/schema.ts';
import { windbgAddress } from '../../render/stack-lines.ts';
import { el, shownText } from '../dom.ts';
import { archBits } from '../../engine/core/arch.ts';

/** Rows on one page of a module table. */
export const PAGE_ROWS = 100;
/** Characters of a name or path shown in a cell (a text's `lm` row can carry 64 Ki). */
const MAX_CELL_CHARS = 512;
/** Lists this short are shown open, at once. */
const OPEN_AT_ONCE = 25;

function moduleRow(m: Module, bits: 32 | 64): HTMLTableRowElement {
  const end = `0x${(big(m.base) + big(m.size)).toString(16)}`;
  return el(
    'tr',
    {},
    el('td', { class: 'addr' }, windbgAddress(m.base, bits)),
    el('td', { class: 'addr' }, windbgAddress(end, bits)),
    el('td', {}, shownText(m.name, MAX_CELL_CHARS), m.x86 ? el('span', { class: 'tag' }, '32-bit') : null),
    el('td', {}, m.version ?? ''),
    el('td', {}, m.timestamp ?? ''),
    el(
      'td',
      { class: 'path' },
      shownText(m.pdb ? `${m.pdb.name} ${m.pdb.id}` : (m.path ?? ''), MAX_CELL_CHARS),
      // Which symbol file named its frames, as lm's "(private pdb symbols)" says.
      m.symbols ? ` (symbols: ${shownText(m.symbols.file, MAX_CELL_CHARS)})` : '',
    ),
  );
}

/** A table of `modules`, one page at a time, with First/Previous/Next/Last when there is more than one. */
function moduleTable(modules: Module[], bits: 32 | 64, caption: string): HTMLElement {
  const body = el('tbody');
  const pages = Math.max(1, Math.ceil(modules.length / PAGE_ROWS));
  const table = el(
    'table',
    { class: 'modules' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...['Start', 'End', 'Module', 'Version', 'Timestamp', 'Symbols / path'].map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
  const wrap = el('div', { class: 'table-scroll' }, table);
  if (pages === 1) {
    for (const m of modules) body.append(moduleRow(m, bits));
    return wrap;
  }
  let page = 0;
  const where = el('span', { class: 'page-where', 'aria-live': 'polite' });
  const button = (label: string, action: string): HTMLButtonElement => el('button', { type: 'button', class: 'page-button', 'data-page': action }, label);
  const first = button('First', 'first');
  const prev = button('Previous', 'previous');
  const next = button('Next', 'next');
  const last = button('Last', 'last');
  const show = (p: number): void => {
    page = Math.min(pages - 1, Math.max(0, p));
    const from = page * PAGE_ROWS;
    const to = Math.min(modules.length, from + PAGE_ROWS);
    body.replaceChildren(...modules.slice(from, to).map((m) => moduleRow(m, bits)));
    where.textContent = `Rows ${from + 1}–${to} of ${modules.length} (page ${page + 1} of ${pages})`;
    first.disabled = prev.disabled = page === 0;
    next.disabled = last.disabled = page === pages - 1;
  };
  first.addEventListener('click', () => show(0));
  prev.addEventListener('click', () => show(page - 1));
  next.addEventListener('click', () => show(page + 1));
  last.addEventListener('click', () => show(pages - 1));
  show(0);
  return el('div', { class: 'module-pages' }, el('p', { class: 'pager' }, first, ' ', prev, ' ', where, ' ', next, ' ', last), wrap);
}

export function modulesSection(report: Report): HTMLElement | null {
  if (report.modules.length === 0 && report.unloadedModules.length === 0) return null;
  const bits = archBits(report.system.arch) === 32 ? 32 : 64;
  // Says what the list holds, not "Show …": a short list is already open, where "Show" would
  // name the opposite of what a click does; and unloaded modules are counted too.
  const loaded = `${report.modules.length} loaded module${report.modules.length === 1 ? '' : 's'}`;
  const unloaded = report.unloadedModules.length > 0 ? `, ${report.unloadedModules.length} unloaded` : '';
  const details = el('details', { class: 'modules-details' }, el('summary', {}, loaded + unloaded));
  const build = (): void => {
    if (details.childElementCount > 1) return;
    details.append(moduleTable(report.modules, bits, 'Loaded modules'));
    if (report.unloadedModules.length > 0) details.append(moduleTable(report.unloadedModules, bits, 'Unloaded modules'));
  };
  // A short list is read at once; hundreds of DLLs are looked up when needed.
  if (report.modules.length <= OPEN_AT_ONCE) {
    details.open = true;
    build();
  } else {
    details.addEventListener('toggle', () => {
      if (details.open) build();
    });
  }
  return el('section', { 'aria-labelledby': 'r-modules' }, el('h3', { id: 'r-modules' }, 'Modules'), details);
}
