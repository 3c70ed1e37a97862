// Every piece of evidence must point at something that exists in the report, or the page
// would highlight nothing (or the wrong frame).
import type { Finding, Report } from '../../src/engine/report/schema.ts';

function fieldAt(report: Report, path: string): unknown {
  let cur: unknown = report;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function evidenceProblems(finding: Finding, report: Report): string[] {
  const problems: string[] = [];
  if (finding.evidence.length === 0) problems.push(`${finding.pattern}: finding has no evidence`);
  for (const e of finding.evidence) {
    if (e.kind === 'frames' || e.kind === 'thread') {
      const thread = report.threads.find((t) => t.id === e.threadId);
      if (!thread) {
        problems.push(`${finding.pattern}: evidence names thread ${e.threadId}, which is not in the report`);
        continue;
      }
      if (e.kind === 'frames') {
        const frames = e.view === 'x86' ? (thread.x86Frames ?? []) : thread.frames;
        if (e.frames.length === 0) problems.push(`${finding.pattern}: frames evidence with no frame`);
        for (const i of e.frames) {
          if (!frames.some((f) => f.index === i)) problems.push(`${finding.pattern}: frame ${i} of ${e.view} stack of thread ${e.threadId} does not exist`);
        }
      }
    } else if (e.kind === 'module') {
      if (![...report.modules, ...report.unloadedModules].some((m) => m.name === e.name)) {
        problems.push(`${finding.pattern}: evidence names module ${e.name}, which is not in the module list`);
      }
    } else if (e.kind === 'exception') {
      if (!report.exception) problems.push(`${finding.pattern}: evidence points at the exception, but there is none`);
    } else {
      const v = fieldAt(report, e.path);
      if (v === undefined || v === null) problems.push(`${finding.pattern}: evidence field ${e.path} is empty`);
    }
  }
  return problems;
}
