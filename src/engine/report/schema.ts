// The report: what `analyze()` returns, what the CLI prints with --json and what the page
// renders. It is the dump model plus the findings and how the analysis went.
import { z } from 'zod';
import { DumpModel } from '../core/dump-model.ts';

export const Confidence = z.enum(['certain', 'likely', 'possible']);
export type Confidence = z.infer<typeof Confidence>;

export const StackView = z.enum(['native', 'x86']);
export type StackView = z.infer<typeof StackView>;

/** Where a finding's evidence lies in the model, precisely enough for a page to highlight it. */
export const Evidence = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('frames'),
    threadId: z.number().int(),
    view: StackView,
    /** Indices into thread.frames (native) or thread.x86Frames (x86). */
    frames: z.array(z.number().int().nonnegative()),
    note: z.string(),
  }),
  z.object({ kind: z.literal('thread'), threadId: z.number().int(), note: z.string() }),
  z.object({ kind: z.literal('module'), name: z.string(), note: z.string() }),
  z.object({ kind: z.literal('exception'), note: z.string() }),
  /** A model field by dotted path ("dump.comment", "system.virtualization", "annotations.FAILURE_BUCKET_ID"). */
  z.object({ kind: z.literal('field'), path: z.string(), note: z.string() }),
]);
export type Evidence = z.infer<typeof Evidence>;

/** Values a detector's message is filled in with (see report/detector.ts). */
export const MessageData = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageData = z.infer<typeof MessageData>;

export const Finding = z.object({
  /** The pattern page id (src/content/patterns/<id>.mdx). */
  pattern: z.string(),
  title: z.string(),
  confidence: Confidence,
  /** Which of the detector's messages the summary is, and the values it was filled in with. */
  messageId: z.string(),
  data: MessageData,
  /** The message with its data: the sentence the report and the page show. */
  summary: z.string(),
  evidence: z.array(Evidence),
});
export type Finding = z.infer<typeof Finding>;

export const Cooperation = z.object({
  patterns: z.array(z.string()),
  text: z.string(),
});

/**
 * The failure bucket (report/bucket.ts, docs/buckets.md): a signature the same failure has on
 * every machine, so reports can be counted by failure.
 */
export const Bucket = z.object({
  /** "c0000005 @ bucketlib!parse_record (null-pointer-data)": equal ids are one failure. */
  id: z.string(),
  /** The exception code without "0x" ("c0000005"), "hang", or "no-crash". */
  reason: z.string(),
  /** The first frame in the program's own code: "module!function" or "module+0x1374"; null when none is known. */
  frame: z.string().nullable(),
  /** The strongest pattern that explains the failure, or null. */
  pattern: z.string().nullable(),
});
export type Bucket = z.infer<typeof Bucket>;

export const Report = DumpModel.extend({
  schemaVersion: z.literal(2),
  findings: z.array(Finding),
  bucket: Bucket,
  /** A paragraph on how the patterns that fired relate, when more than one fired. */
  cooperation: Cooperation.nullable(),
  analysis: z.object({
    engineVersion: z.string(),
    elapsedMs: z.number().nonnegative(),
    /** Detectors that threw; their findings are missing, the rest of the report stands. */
    detectorErrors: z.array(z.object({ pattern: z.string(), message: z.string() })),
  }),
});
export type Report = z.infer<typeof Report>;
