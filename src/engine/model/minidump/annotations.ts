// Facts an application or its crash handler wrote beside the dump, as the model's flat
// key → value annotations: Crashpad's process-wide and per-module annotations, and Breakpad's
// assertion record (an invalid-parameter or pure-virtual-call handler that wrote the dump).
// Keys of module annotations are prefixed with the module's file name ("libfoo.so:key"), so
// two modules setting the same key never overwrite each other.
import type { Minidump } from '../../minidump/minidump.ts';
import { fileNameOf } from '../../names/module-names.ts';
import type { Missing } from '../../core/missing.ts';

/** Characters of one annotation value kept: a page shows these, it does not need a novel. */
export const MAX_ANNOTATION_CHARS = 4096;
/** Annotations kept at most from one dump. */
export const MAX_ANNOTATIONS = 500;

type Guard = <T>(what: Missing, read: () => Promise<T | null>) => Promise<T | null>;

const ASSERTION_KINDS: Record<number, string> = {
  1: 'Invalid parameter passed to library function',
  2: 'Pure virtual function called',
};
/** The same kinds as words detectors match by value (ASSERTION_KIND), never by the sentence. */
const ASSERTION_KIND_WORDS: Record<number, string> = { 1: 'invalid-parameter', 2: 'pure-virtual-call' };

export async function annotationsFrom(md: Minidump, guard: Guard): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  // Counted, not Object.keys(out).length per call: that is quadratic in the entries offered.
  let count = 0;
  const put = (key: string, value: string): void => {
    if (count >= MAX_ANNOTATIONS || key in out) return;
    out[key] = value.length > MAX_ANNOTATION_CHARS ? `${value.slice(0, MAX_ANNOTATION_CHARS)}…` : value;
    count++;
  };

  const crashpad = await guard('Crashpad info', () => md.crashpadInfo());
  if (crashpad) {
    for (const [k, v] of Object.entries(crashpad.simpleAnnotations)) put(k, v);
    const modules = crashpad.modules.length > 0 ? ((await guard('module list', () => md.modules())) ?? []) : [];
    for (const m of crashpad.modules) {
      const name = fileNameOf(modules[m.moduleIndex]?.name ?? '') || `module ${m.moduleIndex}`;
      m.listAnnotations.forEach((v, i) => put(`${name}:list[${i}]`, v));
      for (const [k, v] of Object.entries(m.simpleAnnotations)) put(`${name}:${k}`, v);
      for (const o of m.annotationObjects) if (typeof o.value === 'string') put(`${name}:${o.name}`, o.value);
    }
  }

  const assertion = await guard('assertion info', () => md.assertionInfo());
  if (assertion && (assertion.expression || assertion.function || assertion.type in ASSERTION_KINDS)) {
    // Breakpad's own wording, so the line reads like its "Assertion:" report line.
    const kind = ASSERTION_KINDS[assertion.type];
    const where = [
      assertion.expression,
      assertion.function ? `in function ${assertion.function}` : '',
      assertion.file ? `in file ${assertion.file} at line ${assertion.line}` : '',
    ].filter((s) => s !== '').join(', ').replace(/, in function/, ' in function');
    put('ASSERTION', kind ? `${kind} ${where}`.trim() : where);
    const word = ASSERTION_KIND_WORDS[assertion.type];
    if (word) put('ASSERTION_KIND', word);
  }
  return out;
}
