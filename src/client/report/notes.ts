// What went wrong but was survived (warnings) and what the input could not tell (missing):
// a reader must know which facts are absent before trusting the absence of a pattern.
import type { Report } from '../../engine/report/schema.ts';
import { el } from '../dom.ts';

const SHOWN_WARNINGS = 50;
const SYMBOL_KINDS = new Set(['symbols-mismatch', 'symbols-unreadable', 'symbols-partial']);
/** Symbol-file warnings repeated at the top; one per file given, so a few at most in practice. */
const SHOWN_SYMBOL_NOTES = 5;

/**
 * What became of the symbol files the reader gave, at the top of the report: a PDB refused as
 * another build is why the stack has no names, and the list of warnings is at the bottom,
 * below every thread and module.
 */
export function symbolNotice(report: Report): HTMLElement | null {
  const about = report.warnings.filter((w) => SYMBOL_KINDS.has(w.kind));
  if (about.length === 0) return null;
  const list = el('ul', {});
  for (const w of about.slice(0, SHOWN_SYMBOL_NOTES)) list.append(el('li', {}, w.message));
  if (about.length > SHOWN_SYMBOL_NOTES) list.append(el('li', { class: 'muted' }, `… and ${about.length - SHOWN_SYMBOL_NOTES} more under Warnings and gaps`));
  return el('div', { class: 'symbol-notice', role: 'note' }, el('p', {}, el('strong', {}, 'The symbol files given'), ' (repeated from Warnings and gaps):'), list);
}

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
