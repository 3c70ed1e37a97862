// Session commands' answers put into the pass's state: `|` (the process), `!runaway` (each
// thread's times, in a section that runs until a line is not a row), `!gle`, vertarget's
// process times and `!wow64exts.sw`, which switches the view later stacks are read in.
import type { ReaderState } from './reader-state.ts';
import { parseLastError, parseProcessLine, parseProcessTime, parseRunawayRow, parseRunawaySection, parseWowSwitch } from './session-lines.ts';

/** A line of a session command's answer. True (and counted) when the line was one. */
export function takeSessionLine(s: ReaderState, line: string): boolean {
  if (!sessionLine(s, line)) return false;
  s.recognised++;
  return true;
}

function sessionLine(s: ReaderState, line: string): boolean {
  const wow = parseWowSwitch(line);
  if (wow) {
    s.view = wow;
    if (wow === 'x86') s.switchedToX86 = true;
    return true;
  }
  const section = parseRunawaySection(line);
  if (section) {
    s.runaway = section;
    return true;
  }
  if (s.runaway) {
    if (/^\s*Thread\s+Time\s*$/.test(line)) return true;
    const row = parseRunawayRow(line);
    if (row) {
      const t = s.thread(row.tid, row.ordinal);
      s.ordinalToTid.set(row.ordinal, row.tid);
      if (s.runaway === 'user') t.userSeconds = row.seconds;
      else if (s.runaway === 'kernel') t.kernelSeconds = row.seconds;
      return true;
    }
    s.runaway = null;
  }
  const proc = parseProcessLine(line);
  if (proc) {
    // `|` lists every process of a multi-process session; '.' marks the one being examined.
    if (proc.current || s.pid === null) {
      s.pid = proc.pid;
      s.processImage = proc.image ?? s.processImage;
    }
    s.userSeen = true;
    return true;
  }
  const gle = parseLastError(line);
  if (gle) {
    s.looseAnnotations[gle.key] ??= gle.value;
    return true;
  }
  const time = parseProcessTime(line);
  if (time) {
    if (time.kind === 'user') s.processTimes.user ??= time.seconds;
    else s.processTimes.kernel ??= time.seconds;
    return true;
  }
  return false;
}
