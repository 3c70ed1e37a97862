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
    s.session.view = wow;
    if (wow === 'x86') s.session.switchedToX86 = true;
    return true;
  }
  const section = parseRunawaySection(line);
  if (section) {
    s.session.runaway = section;
    return true;
  }
  if (s.session.runaway) {
    if (/^\s*Thread\s+Time\s*$/.test(line)) return true;
    const row = parseRunawayRow(line);
    if (row) {
      const t = s.thread(row.tid, row.ordinal);
      t.ordinal = row.ordinal;
      t.ordinalKnown = true;
      s.threads.ordinalToTid.set(row.ordinal, row.tid);
      if (s.session.runaway === 'user') t.userSeconds = row.seconds;
      else if (s.session.runaway === 'kernel') t.kernelSeconds = row.seconds;
      return true;
    }
    s.session.runaway = null;
  }
  const proc = parseProcessLine(line);
  if (proc) {
    // `|` lists every process of a multi-process session; '.' marks the one being examined.
    if (proc.current || s.session.pid === null) {
      s.session.pid = proc.pid;
      s.session.processImage = proc.image ?? s.session.processImage;
    }
    s.session.userSeen = true;
    return true;
  }
  const gle = parseLastError(line);
  if (gle) {
    s.analyze.loose[gle.key] ??= gle.value;
    return true;
  }
  const time = parseProcessTime(line);
  if (time) {
    if (time.kind === 'user') s.session.processTimes.user ??= time.seconds;
    else s.session.processTimes.kernel ??= time.seconds;
    return true;
  }
  return false;
}
