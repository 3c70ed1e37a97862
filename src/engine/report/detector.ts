// The detector contract, owned by the engine that runs detectors. A detector is a pure function
// of the dump model: no I/O, no clock, no randomness, so the same input fires the same findings
// in Node and in the browser. Like an ESLint rule it names its sentences once, in `messages`,
// and a finding says which one applies (`messageId`) with what (`data`); the engine writes the
// summary from them, so tests can assert what was found rather than the English. Its title and
// the rest of its metadata live in the page's frontmatter (src/content/patterns/<id>.mdx).
import type { DumpModel } from '../core/dump-model.ts';
import type { Confidence, Evidence, MessageData } from './schema.ts';

export interface DetectorFinding<M extends string = string> {
  confidence: Confidence;
  /** A key of the detector's `messages`. */
  messageId: M;
  /** Values for the message's {{placeholders}}. */
  data?: MessageData;
  evidence: Evidence[];
}

export interface Detector<M extends string = string> {
  /** Must equal the file name and the page id. */
  readonly id: string;
  /** The sentences a finding's summary is made from, by id; "{{name}}" is replaced from its data. */
  readonly messages: Readonly<Record<M, string>>;
  /** Returns zero or one finding (rarely more, e.g. one per deadlock cycle). */
  detect(model: DumpModel): DetectorFinding<M>[];
}

export function defineDetector<M extends string>(detector: Detector<M>): Detector<M> {
  return detector;
}

/** What the engine needs of each pattern page: its title, and which patterns it links to. */
export interface PatternMetadata {
  title: string;
  related: readonly string[];
}
export type PatternIndex = Readonly<Record<string, PatternMetadata>>;

/**
 * A message with its {{placeholders}} filled in. A placeholder without data stays as written,
 * as ESLint leaves it, so a missing value shows in the text instead of vanishing.
 */
export function renderMessage(template: string, data: MessageData = {}): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(data, key) ? String(data[key]) : whole,
  );
}
