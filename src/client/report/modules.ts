// The loaded (and unloaded) modules as a table: range, name, version, timestamp, symbols.
import { big } from '../../engine/core/hex.ts';
import type { Module } from '../../engine/core/dump-model.ts';
import type { Report } from '../../engine/report/schema.ts';
import { windbgAddress } from '../../render/stack-lines.ts';
import { el } from '../dom.ts';
import { archBits } from '../../engine/core/arch.ts';

function moduleTable(modules: Module[], bits: 32 | 64, caption: string): HTMLTableElement {
  const body = el('tbody');
  for (const m of modules) {
    const end = `0x${(big(m.base) + big(m.size)).toString(16)}`;
    body.append(
      el(
        'tr',
        {},
        el('td', { class: 'addr' }, windbgAddress(m.base, bits)),
        el('td', { class: 'addr' }, windbgAddress(end, bits)),
        el('td', {}, m.name, m.x86 ? el('span', { class: 'tag' }, '32-bit') : null),
        el('td', {}, m.version ?? ''),
        el('td', {}, m.timestamp ?? ''),
        el(
          'td',
          { class: 'path' },
          m.pdb ? `${m.pdb.name} ${m.pdb.id}` : (m.path ?? ''),
          // Which symbol file named its frames, as lm's "(private pdb symbols)" says.
          m.symbols ? ` (symbols: ${m.symbols.file})` : '',
        ),
      ),
    );
  }
  return el(
    'table',
    { class: 'modules' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...['Start', 'End', 'Module', 'Version', 'Timestamp', 'Symbols / path'].map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
}

export function modulesSection(report: Report): HTMLElement | null {
  if (report.modules.length === 0 && report.unloadedModules.length === 0) return null;
  const bits = archBits(report.system.arch) === 32 ? 32 : 64;
  const details = el('details', { class: 'modules-details' }, el('summary', {}, `Show ${report.modules.length} module${report.modules.length === 1 ? '' : 's'}`));
  // A short list is read at once; hundreds of DLLs are looked up when needed.
  if (report.modules.length <= 25) details.open = true;
  details.append(el('div', { class: 'table-scroll' }, moduleTable(report.modules, bits, 'Loaded modules')));
  if (report.unloadedModules.length > 0) details.append(el('div', { class: 'table-scroll' }, moduleTable(report.unloadedModules, bits, 'Unloaded modules')));
  return el('section', { 'aria-labelledby': 'r-modules' }, el('h3', { id: 'r-modules' }, 'Modules'), details);
}
