// The human-readable report (CLI output and the page's "Copy as text"): findings first,
// then the dump at a glance, the exception, and the faulting thread's annotated stack.
import type { Thread } from '../engine/core/dump-model.ts';
import type { Report } from '../engine/report/schema.ts';
import { faultingThread as faultingThreadOf } from '../engine/core/faulting-thread.ts';
import { frameNotes, stackHeader, stackLines, viewBits, frameNumber } from './stack-lines.ts';
import { trustWords } from '../engine/core/frame-trust.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { threadLabel } from '../engine/core/thread-label.ts';
import { visibleText } from './untrusted-text.ts';

function hasFrames(t: Thread): boolean {
  return t.frames.length > 0 || (t.x86Frames?.length ?? 0) > 0;
}

/**
 * The thread whose stack the report shows: the faulting one, else the first. With no faulting
 * thread and a first thread without frames (a log that printed `!locks` and the stacks of two
 * deadlocked threads, never thread 0's), an empty stack would lead the report: the first thread
 * with frames that the findings point at is shown instead, strongest finding first, else the
 * first with frames. A faulting thread is kept even when empty: that is worth seeing.
 */
export function faultingThread(report: Report): Thread | null {
  const faulting = faultingThreadOf(report);
  if (faulting) return faulting;
  const chosen = report.threads[0] ?? null;
  if (!chosen || hasFrames(chosen)) return chosen;
  for (const f of report.findings) {
    for (const e of f.evidence) {
      if (e.kind !== 'frames' && e.kind !== 'thread') continue;
      const t = report.threads.find((x) => x.id === e.threadId);
      if (t && hasFrames(t)) return t;
    }
  }
  return report.threads.find(hasFrames) ?? chosen;
}

function formatDuration(seconds: number | null): string | null {
  if (seconds === null) return null;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return `${d} days ${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Keeps untrusted dump text on one line, printable and in its own order (untrusted-text.ts). */
function clean(text: string): string {
  return visibleText(text);
}

/** The exception address, or "unknown" when the input never printed it (text logs). */
export function exceptionAddressText(report: Report): string {
  if (!report.exception) return 'unknown';
  return report.exception.address ?? 'unknown';
}

export function renderTextReport(report: Report): string {
  const out: string[] = [];
  out.push(`== ${clean(report.input.name)} (${report.input.format}) ==`);
  out.push(`Bucket: ${clean(report.bucket.id)}`);
  if (report.findings.length === 0) out.push('No catalogued pattern fired.');
  for (const f of report.findings) out.push(`[${f.confidence}] ${f.title} (${f.pattern}): ${clean(f.summary)}`);
  if (report.cooperation) out.push('', `Pattern cooperation: ${report.cooperation.text}`);

  out.push('', 'Dump:');
  const sys = report.system;
  const facts: [string, string | null][] = [
    ['kind', report.dump.description ?? (report.dump.fullMemory === null ? null : report.dump.fullMemory ? 'full memory' : 'minidump')],
    ['written by', report.dump.writer],
    ['comment', report.dump.comment],
    ['OS', sys.os],
    ['arch', sys.arch + (report.process.wow64 ? ' (WOW64: a 32-bit process in a 64-bit dump)' : '')],
    ['CPUs', sys.cpuCount === null ? null : String(sys.cpuCount)],
    ['process', report.process.pid === null ? report.process.name : `${report.process.name ?? ''} pid ${report.process.pid} (0x${report.process.pid.toString(16)})`.trim()],
    ['system uptime', formatDuration(sys.uptimeSeconds)],
    ['process uptime', formatDuration(report.process.uptimeSeconds)],
  ];
  for (const [k, v] of facts) if (v) out.push(`  ${k.padEnd(15)} ${clean(v)}`);

  const ex = report.exception;
  out.push('', 'Exception:');
  if (!ex) out.push('  none recorded');
  else {
    out.push(`  code ${ex.code}${ex.name ? ` ${ex.name}` : ''}${ex.description ? ` - ${clean(ex.description)}` : ''}`);
    const address = exceptionAddressText(report);
    out.push(`  address ${address}${ex.module ? ` (${clean(frameText({ address: address, module: ex.module, symbol: ex.symbol, offset: null }))})` : ''}, thread ${ex.threadId === null ? '?' : `0x${ex.threadId.toString(16)}`}`);
    if (ex.access) out.push(`  ${ex.access.kind} access at ${ex.access.address}`);
  }

  const thread = faultingThread(report);
  if (thread) {
    const views = thread.x86Frames && thread.x86Frames.length > 0 ? (['x86', 'native'] as const) : (['native'] as const);
    for (const view of views) {
      const bits = viewBits(view, report.system.arch);
      out.push('', `Thread ${threadLabel(thread)}${view === 'x86' ? ', x86 view (.effmach x86)' : report.process.wow64 ? ', native view' : ''}:`);
      out.push(`     ${stackHeader(bits)}`);
      for (const line of stackLines(thread, view, bits, frameNotes(thread, view, report.findings))) {
        const mark = line.notes.length > 0 ? '>' : ' ';
        const how = line.frame.trust === 'text' ? '' : `  [${trustWords(line.frame.trust)}]`;
        const notes = line.notes.length > 0 ? `   <- ${line.notes.map((n) => clean(n.note)).join('; ')}` : '';
        out.push(`${mark} ${frameNumber(line.frame.index)} ${clean(line.text)}${how}${notes}`);
      }
      if (view === 'native' && thread.framesNote) out.push(`   (${clean(thread.framesNote)})`);
    }
  }
  if (report.warnings.length > 0) {
    out.push('', `Warnings (${report.warnings.length}):`);
    for (const w of report.warnings.slice(0, 20)) out.push(`  ${clean(w.message)}`);
    if (report.warnings.length > 20) out.push(`  … ${report.warnings.length - 20} more (see --json)`);
  }
  if (report.missing.length > 0) out.push('', `Not in this input: ${report.missing.map(clean).join(', ')}`);
  // Every line once more, whatever it holds (a thread name in a label, a pattern's message):
  // nothing from the dump reaches a terminal raw.
  return out.map(visibleText).join('\n');
}
