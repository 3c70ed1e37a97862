// How a thread is named to a reader: WinDbg's thread number first ("~0"), the way a debugger
// user selects it, then the OS thread id. The one label the text report, the page and the
// detectors' summaries share. A thread a pasted log never gave an id (a `k` under `0:029>`, or
// output with no prompt) says so instead of showing its placeholder id.
import { hex } from './hex.ts';

export interface LabelledThread {
  id: number;
  ordinal: number;
  /** What the log never printed of the thread (dump-model.ts `Thread.unidentified`). */
  unidentified?: 'id' | 'number' | 'id-and-number' | undefined;
}

/** "~0 (id 0x2fe4)", "~29 (id not shown)", "~? (id 0x1ff8)", "~? (current thread, id not shown)". */
export function threadLabel(t: LabelledThread): string {
  if (t.unidentified === 'id') return `~${t.ordinal} (id not shown)`;
  if (t.unidentified === 'number') return `~? (id ${hex(t.id)})`;
  if (t.unidentified === 'id-and-number') return '~? (current thread, id not shown)';
  return `~${t.ordinal} (id ${hex(t.id)})`;
}
