// The banner's facts: gathered line by line while reading (a dump comment may run over
// several lines), put into the model's system, dump and process sections at the end. The
// first value of a kind wins: a log that opens two dumps describes the first.
import type { DumpModel } from '../core/dump-model.ts';
import { parseBannerLine, type BannerFact } from './banner.ts';
import type { ReaderState } from './reader-state.ts';
import { closeStack } from './thread-book.ts';

/** Lines a quoted comment may run over before it is taken as ended (a lost closing quote). */
const MAX_COMMENT_LINES = 16;

/** A banner line, or a line of a multi-line dump comment. True when the line was one. */
export function takeBannerLine(s: ReaderState, line: string): boolean {
  if (s.banner.commentLines) {
    const piece = line.trim();
    const last = piece.endsWith("'") || s.banner.commentLines.length >= MAX_COMMENT_LINES;
    s.banner.commentLines.push(piece.replace(/'$/, ''));
    if (last) {
      const text = s.banner.commentLines.filter((l) => l).join('\n');
      if (text) s.banner.facts.push({ kind: 'comment', text });
      s.banner.commentLines = null;
    }
    s.recognised++;
    return true;
  }

  const banner = parseBannerLine(line);
  if (!banner) return false;
  closeStack(s);
  if (banner.kind === 'comment' && banner.text === "'") {
    s.banner.commentLines = [];
    s.recognised++;
    return true;
  }
  s.banner.facts.push(banner);
  if (banner.kind === 'dump-type') {
    if (banner.kernel) s.session.kernelSeen = true;
    else s.session.userSeen = true;
  } else if (banner.kind === 'os' && / Kernel$/.test(banner.os.slice(0, banner.os.indexOf(' Version ')))) s.session.kernelSeen = true;
  else if (banner.kind === 'exception-of-interest') s.exception.stored = true;
  s.recognised++;
  return true;
}

/** System and dump facts from the banner; its warnings (truncation, overlaps) go to the model. */
export function applyBannerFacts(facts: readonly BannerFact[], model: DumpModel): void {
  for (const f of facts) {
    switch (f.kind) {
      case 'debugger':
        model.annotations['DEBUGGER_VERSION'] ??= f.host ? `${f.version} ${f.host}` : f.version;
        break;
      case 'dump-type':
        model.dump.description ??= f.description;
        model.dump.fullMemory ??= f.fullMemory;
        break;
      case 'comment': {
        model.dump.comment ??= f.text;
        if (/userdump/i.test(f.text)) model.dump.writer ??= 'userdump';
        else if (/procdump/i.test(f.text)) model.dump.writer ??= 'procdump';
        break;
      }
      case 'os':
        model.system.os ??= f.os;
        model.system.version ??= f.version;
        model.system.build ??= f.build;
        model.system.servicePack ??= f.servicePack;
        model.system.cpuCount ??= f.cpuCount;
        if (model.system.arch === 'unknown') model.system.arch = f.arch;
        break;
      case 'product':
        model.system.product ??= f.text;
        break;
      case 'build-lab':
        model.annotations['BUILD_LAB'] ??= f.text;
        if (model.system.arch === 'unknown' && f.arch) model.system.arch = f.arch;
        break;
      case 'machine-name':
        if (f.text) model.annotations['MACHINE_NAME'] ??= f.text;
        break;
      case 'session-time':
        model.dump.time ??= f.iso;
        break;
      case 'system-uptime':
        model.system.uptimeSeconds ??= f.seconds;
        break;
      case 'process-uptime':
        model.process.uptimeSeconds ??= f.seconds;
        break;
      case 'truncated':
        model.warnings.push({ kind: 'dump-truncated', message: 'the debugger reported that the dump file is truncated: data may be missing' });
        break;
      case 'overlap':
        model.warnings.push({ kind: 'module-overlap', message: `${f.a} overlaps ${f.b}` });
        break;
      case 'exception-of-interest':
        model.dump.manual = false;
        break;
      case 'dump-file':
        break;
    }
  }
}
