// Corrupt Dump: the dump's own structures contradict each other. Two streams claim the same
// bytes, a list says it holds more records than its stream has room for, a size or address is
// absurd (memory ranges past the top of the address space, a stream a terabyte past the end of
// the file), a stream type appears twice, a CPU context is of another processor. A dump writer
// that crashed mid-write, a disk or transfer error, a tool that patched the file, or a
// deliberately hostile file. The reader survives each one (the warning says what it did), but
// every fact near the damage may be wrong.
//
// Truncated Dump is the other way a file goes bad: consistent claims, missing tail. The two
// meet when a cut file's directory is itself garbage; each pattern reports its own half.
import type { DumpModel, Warning, WarningKind } from '../engine/core/dump-model.ts';
import type { Confidence, Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

/**
 * Warning kinds that say the file contradicts itself, and how sure each makes us. Overlapping
 * memory ranges are not among them: Windows' and Wine's dbghelp both list a thread's stack and
 * the bytes around its instruction pointer as separate ranges that may overlap.
 */
const CORRUPTION: Partial<Record<WarningKind, { confidence: Confidence; what: string }>> = {
  'stream-overlap': { confidence: 'certain', what: 'streams overlap each other or the header' },
  'stream-count': { confidence: 'certain', what: 'a list claims more records than its stream holds' },
  'stream-corrupt': { confidence: 'certain', what: 'a size or position is impossible' },
  'memory-range-corrupt': { confidence: 'certain', what: 'memory ranges run past the top of the address space' },
  'exception-parameters': { confidence: 'certain', what: 'the exception claims more parameters than exist' },
  'stream-duplicate': { confidence: 'likely', what: 'a stream type appears twice' },
  'context-flags': { confidence: 'likely', what: "a CPU context lacks its processor's flag" },
  'codeview-corrupt': { confidence: 'likely', what: "a module's CodeView record is malformed" },
  'crashpad-corrupt': { confidence: 'likely', what: "Crashpad's stream is malformed" },
  'header-version': { confidence: 'possible', what: 'the header has an unknown version' },
};
const ORDER: readonly Confidence[] = ['certain', 'likely', 'possible'];

/** Most stream types nobody defines: a directory of garbage rather than a dump's. */
function garbageDirectory(model: DumpModel): boolean {
  const real = model.dump.streams.filter((s) => s.type !== 0);
  const unknown = real.filter((s) => s.name.startsWith('Unknown(')).length;
  return real.length >= 4 && unknown * 2 > real.length;
}

export default defineDetector({
  id: 'corrupt-dump',
  messages: {
    corrupt: 'The dump contradicts itself: {{problems}}{{truncated}}. The reader kept what it could; facts read from the damaged structures may be wrong.',
  },
  detect(model) {
    if (model.input.format !== 'minidump') return [];
    const found: { w: Warning | null; confidence: Confidence; what: string }[] = [];
    for (const w of model.warnings) {
      const c = CORRUPTION[w.kind];
      if (c) found.push({ w, ...c });
    }
    if (garbageDirectory(model)) found.push({ w: null, confidence: 'likely', what: 'most stream types in its directory are of no known kind' });
    if (found.length === 0) return [];
    const confidence = ORDER.find((c) => found.some((f) => f.confidence === c))!;
    const whats = [...new Set(found.map((f) => f.what))];
    const evidence: Evidence[] = [];
    const shown = found.filter((f) => f.w !== null).slice(0, 3);
    if (shown.length > 0) evidence.push({ kind: 'field', path: 'warnings', note: shown.map((f) => f.w!.message).join('; ') });
    if (found.some((f) => f.w === null)) evidence.push({ kind: 'field', path: 'dump.streams', note: 'the stream directory' });
    const truncated = (model.dump.truncatedBytes ?? 0) > 0;
    return [
      {
        confidence,
        messageId: 'corrupt',
        data: { problems: whats.join('; '), truncated: truncated ? '; it is also shorter than its directory claims (see Truncated Dump)' : '' },
        evidence,
      },
    ];
  },
});
