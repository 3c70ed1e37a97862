// How a thread is named to a reader: WinDbg's thread number first ("~0"), the way a debugger
// user selects it, then the OS thread id. The one label the text report, the page and the
// detectors' summaries share.
import { hex } from './hex.ts';

export interface LabelledThread {
  id: number;
  ordinal: number;
}

/** "~0 (id 0x2fe4)". */
export function threadLabel(t: LabelledThread): string {
  return `~${t.ordinal} (id ${hex(t.id)})`;
}
