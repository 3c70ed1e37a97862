// Renders a report (the CLI's --json object) as page content, in the order a reader needs it:
// the patterns that fire, the dump at a glance, the exception, the faulting thread's annotated
// stack, every thread, the modules, and what went wrong or is missing. Every string from the
// dump goes in as text (dom.ts), never as markup.
import type { Report } from '../engine/report/schema.ts';
import { el } from './dom.ts';
import { actionsBar } from './report/actions.ts';
import { plainContext, type RenderContext } from './report/context.ts';
import { exceptionSection } from './report/exception.ts';
import { findingsSection } from './report/findings.ts';
import { glanceSection } from './report/glance.ts';
import { modulesSection } from './report/modules.ts';
import { notesSection, symbolNotice } from './report/notes.ts';
import { faultingStackSection, threadsSection } from './report/threads.ts';

export interface RenderOptions extends Partial<RenderContext> {
  announce?: (message: string) => void;
  /** Where the analysis ran, for the closing line ("in this browser"). */
  where?: string;
}

export function renderReport(report: Report, options: RenderOptions = {}): HTMLElement {
  const ctx: RenderContext = { decorateStack: options.decorateStack ?? plainContext.decorateStack };
  const heading = el('h2', { id: 'r-top', tabindex: '-1' }, `Results for ${report.input.name}`);
  return el(
    'div',
    { class: 'report' },
    heading,
    actionsBar(report, options.announce ?? (() => {})),
    symbolNotice(report),
    findingsSection(report),
    glanceSection(report),
    exceptionSection(report),
    faultingStackSection(report, ctx),
    threadsSection(report, ctx),
    modulesSection(report),
    notesSection(report),
    el('p', { class: 'muted analysis-meta' }, `Engine ${report.analysis.engineVersion}, ${Math.round(report.analysis.elapsedMs)} ms, ${options.where ?? 'in this browser'}.`),
  );
}
