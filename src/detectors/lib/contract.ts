// The detector contract. A detector is a pure function of the dump model: no I/O, no clock,
// no randomness, so the same input always fires the same findings in Node and in the browser.
// Its title and metadata live in the page's frontmatter (src/content/patterns/<id>.mdx); the
// engine adds `pattern` and `title` to what `detect` returns.
import type { DumpModel } from '../../engine/core/dump-model.ts';
import type { Finding } from '../../engine/report/schema.ts';

export type DetectorFinding = Omit<Finding, 'pattern' | 'title'>;

export interface Detector {
  /** Must equal the file name and the page id. */
  readonly id: string;
  /** Returns zero or one finding (rarely more, e.g. one per deadlock cycle). */
  detect(model: DumpModel): DetectorFinding[];
}

export function defineDetector(detector: Detector): Detector {
  return detector;
}
