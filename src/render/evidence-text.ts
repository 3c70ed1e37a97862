// One line per piece of a finding's evidence, in words: the page's evidence lists use it. Field
// evidence points into the model by path ("locks.2", "annotations.VERIFIER_STOP") so tests can
// check it exists; a reader gets what that path holds instead (the critical section's address,
// the handle's value, "the dump's comment").
import { threadLabel } from '../engine/core/thread-label.ts';
import type { Evidence, Report } from '../engine/report/schema.ts';
import { frameNumber } from './stack-lines.ts';

/** "thread ~0 (id 0x24)", as the summaries and the stack headings name it. */
function threadWords(threadId: number, report: Report): string {
  const t = report.threads.find((x) => x.id === threadId);
  return t ? `thread ${threadLabel(t)}` : `thread 0x${threadId.toString(16)}`;
}

/** What the model holds at these top-level paths, in words. */
const FIELD_WORDS: Record<string, string> = {
  annotations: 'the debugger’s analysis',
  codeIntegrity: 'the code compared with the module files',
  'dump.comment': 'the dump’s comment',
  'dump.comments': 'the dump’s comments',
  'dump.description': 'the dump’s description',
  'dump.streams': 'the dump’s streams',
  'dump.truncatedBytes': 'the dump’s size against its directory',
  'exception.delayLoad': 'the delay-load failure',
  faultBytes: 'the code at the fault',
  handles: 'the handle table',
  'input.size': 'the input’s size',
  locks: 'the critical sections',
  'memory.gaps': 'the dump’s memory ranges',
  'memory.map': 'the memory map',
  'process.ntGlobalFlag': 'the process’s NtGlobalFlag',
  'process.wow64': 'the process (WOW64)',
  residue: 'the unused part of the stack',
  'system.cpu': 'the CPU',
  'system.virtualization': 'the virtual machine',
  unloadedModules: 'the unloaded modules',
  waitGraph: 'the wait chains',
  'waitGraph.head': 'the head of the wait chain',
  warnings: 'what could not be read',
};

/** The words for a field path: a record of a list by what identifies it, else the list's words. */
export function fieldWords(path: string, report: Report): string {
  const known = FIELD_WORDS[path];
  if (known) return known;
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? '' : path.slice(dot + 1);
  const index = /^\d+$/.test(rest) ? Number(rest) : null;
  if (head === 'locks' && index !== null) {
    const lock = report.locks?.[index];
    if (lock) return `critical section ${lock.name ?? lock.address}`;
  }
  if (head === 'handles' && index !== null) {
    const handle = report.handles?.[index];
    if (handle) return `handle ${handle.value}${handle.type ? ` (${handle.type})` : ''}`;
  }
  if (head === 'annotations' && rest !== '') return `the debugger’s ${rest}`;
  return FIELD_WORDS[head] ?? path;
}

export function evidenceText(e: Evidence, report: Report): string {
  switch (e.kind) {
    case 'frames': {
      const frames = e.frames.map((i) => frameNumber(i)).join(', ');
      return `${threadWords(e.threadId, report)}, ${e.view === 'x86' ? 'x86' : 'native'} frame${e.frames.length === 1 ? '' : 's'} ${frames}: ${e.note}`;
    }
    case 'thread':
      return `${threadWords(e.threadId, report)}: ${e.note}`;
    case 'module':
      return `module ${e.name}: ${e.note}`;
    case 'exception':
      return `the exception: ${e.note}`;
    case 'field':
      return `${fieldWords(e.path, report)}: ${e.note}`;
  }
}
