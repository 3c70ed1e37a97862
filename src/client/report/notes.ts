// What went wrong but was survived (warnings) and what the input could not tell (missing):
// a reader must know which facts are absent before trusting the absence of a pattern.
import type { Report } from '../../engine/report/schema.ts';
import { el } from '../dom.ts';

const SHOWN_WARNINGS = 50;

export function notesSection(report: Report): HTMLElement | null {
  if (report.warnings.length === 0 && report.missing.length === 0) return null;
  const section = el('section', { class: 'notes', 'aria-labelledby': 'r-notes' }, el('h3', { id: 'r-notes' }, 'Warnings and gaps'));
  if (report.missing.length > 0) {
    section.append(el('p', { class: 'missing' }, el('strong', {}, 'Not in this input: '), report.missing.join(', '), '.'));
  }
  if (report.warnings.length > 0) {
    const list = el('ul', { class: 'warnings' });
    for (const w of report.warnings.slice(0, SHOWN_WARNINGS)) list.append(el('li', { 'data-kind': w.kind }, w.message));
    if (report.warnings.length > SHOWN_WARNINGS) {
      list.append(el('li', { class: 'muted' }, `… and ${report.warnings.length - SHOWN_WARNINGS} more in the downloaded JSON`));
    }
    section.append(el('p', {}, `${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'} while reading:`), list);
  }
  return section;
}
