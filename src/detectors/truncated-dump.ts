// Truncated Dump: the file is shorter than its own directory says. A dump writer that ran out
// of disk space or was killed, a size limit (FAT32's 4 GiB, an upload cap, a mail gateway) or an
// interrupted copy all leave a valid header and directory whose streams and memory ranges point
// past the end. The minidump reader measures the shortfall, and the finding is certain unless
// the directory itself looks like garbage (then a corrupt file is as likely as a cut one). It
// names what the cut cost (streams, stacks, memory).
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';

const TRUNCATION_WARNINGS = new Set(['dump-truncated', 'stream-truncated']);

function bytesText(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

export default defineDetector({
  id: 'truncated-dump',
  messages: {
    damaged:
      'The dump file is shorter than its directory claims ({{size}}), but the directory itself looks damaged (duplicate or unknown streams): a truncated or corrupt file{{lost}}.',
    truncated: 'The dump file is truncated: {{size}}{{lost}}. Copy it again or have it re-written with enough space.',
  },
  detect(model) {
    const missingBytes = model.dump.truncatedBytes ?? 0;
    // Only the dump reader's own measurement counts: "text-truncated" and "cap-text-size" say a
    // pasted log was cut, which is not a truncated dump.
    const dumpWarnings = model.warnings.filter((w) => w.kind === 'dump-truncated');
    if (missingBytes <= 0 && dumpWarnings.length === 0) return [];

    const evidence: Evidence[] = [];
    if (missingBytes > 0) evidence.push({ kind: 'field', path: 'dump.truncatedBytes', note: 'bytes the directory points at that the file does not have' });
    const cut = model.warnings.filter((w) => TRUNCATION_WARNINGS.has(w.kind));
    if (cut.length > 0) evidence.push({ kind: 'field', path: 'warnings', note: cut.slice(0, 3).map((w) => w.message).join('; ') });
    if (model.input.size > 0) evidence.push({ kind: 'field', path: 'input.size', note: 'the size the file really has' });

    const lost: string[] = [];
    const stacksMissing = model.threads.filter((t) => t.frames.length === 0 && (t.x86Frames?.length ?? 0) === 0).length;
    if (stacksMissing > 0 && model.threads.length > 0) lost.push(`${stacksMissing} of ${model.threads.length} thread stacks are empty`);
    const notTold = model.missing.filter((m) => m !== 'registers' && m !== 'stack memory');
    if (notTold.length > 0) lost.push(`missing: ${notTold.slice(0, 4).join(', ')}`);
    if (model.missing.includes('stack memory')) lost.push('stack memory is missing');

    // A directory of garbage (deliberately broken or overwritten files) also points past the
    // end; it shows as duplicated entries or mostly unknown stream types, and
    // then the file is not known to be a cut-off dump.
    const real = model.dump.streams.filter((st) => st.type !== 0);
    const unknown = real.filter((st) => st.name.startsWith('Unknown(')).length;
    const damaged =
      model.warnings.some((w) => w.kind === 'stream-duplicate') || (real.length > 0 && unknown * 2 > real.length);

    const size = missingBytes > 0
      ? `${bytesText(missingBytes)} are missing from its end (${bytesText(model.input.size)} present of ${bytesText(model.input.size + missingBytes)})`
      : `parts of its streams lie past the end of the file`;
    if (damaged) evidence.push({ kind: 'field', path: 'dump.streams', note: 'the directory itself looks damaged' });
    return [
      {
        confidence: damaged ? 'likely' : 'certain',
        messageId: damaged ? 'damaged' : 'truncated',
        data: { size, lost: lost.length > 0 ? `; ${lost.join('; ')}` : '' },
        evidence,
      },
    ];
  },
});
