// The patterns that fired, strongest first (the engine sorts them), each with its confidence,
// its one-line summary, a link to its page and what it rests on; then, when several fired, the
// catalog's paragraph on how they cooperate.
import type { Report } from '../../engine/report/schema.ts';
import { el } from '../dom.ts';
import { evidenceText } from '../../render/evidence-text.ts';

export function findingsSection(report: Report): HTMLElement {
  const section = el('section', { class: 'findings-section', 'aria-labelledby': 'r-findings' }, el('h3', { id: 'r-findings' }, 'Patterns that fire'));
  if (report.findings.length === 0) {
    section.append(el('p', {}, 'No catalogued pattern fired on this input. The facts below are still worth reading.'));
  } else {
    const list = el('ul', { class: 'findings' });
    for (const f of report.findings) {
      const evidence = el('ul', { class: 'evidence-list' });
      for (const e of f.evidence) evidence.append(el('li', {}, evidenceText(e, report)));
      list.append(
        el(
          'li',
          { class: 'finding', 'data-pattern': f.pattern },
          el('span', { class: `confidence confidence-${f.confidence}` }, f.confidence),
          ' ',
          el('a', { class: 'finding-title', href: `/patterns/${encodeURIComponent(f.pattern)}/` }, f.title),
          el('p', { class: 'finding-summary' }, f.summary),
          f.evidence.length > 0 ? el('details', { class: 'finding-evidence' }, el('summary', {}, `Evidence (${f.evidence.length})`), evidence) : null,
        ),
      );
    }
    section.append(list);
  }
  if (report.cooperation) {
    section.append(el('p', { class: 'cooperation' }, el('strong', {}, 'Pattern cooperation: '), report.cooperation.text));
  }
  if (report.analysis.detectorErrors.length > 0) {
    const errs = el('ul', {});
    for (const d of report.analysis.detectorErrors) errs.append(el('li', {}, `${d.pattern}: ${d.message}`));
    section.append(el('div', { class: 'detector-errors' }, el('p', {}, 'These detectors failed on this input, so their patterns were not judged:'), errs));
  }
  return section;
}
