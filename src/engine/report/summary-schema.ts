// The zod schemas of a bucket summary (report/summary.ts), for reading one back from a file
// (`dumpatlas merge`). Kept apart from the merge so that printing a table never loads zod.
import { z } from 'zod';
import { Bucket } from './schema.ts';
import { SUMMARY_KIND, type BrokenFile as BrokenFileType, type Summary as SummaryType, type SummaryBucket as SummaryBucketType } from './summary.ts';

export const SummaryBucket = Bucket.extend({
  count: z.number().int().nonnegative(),
  patterns: z.record(z.string(), z.number().int().nonnegative()),
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  example: z.string(),
});

export const BrokenFile = z.object({ file: z.string(), kind: z.string(), message: z.string() });

export const Summary = z.object({
  kind: z.literal(SUMMARY_KIND),
  version: z.literal(1),
  files: z.number().int().nonnegative(),
  analysed: z.number().int().nonnegative(),
  buckets: z.array(SummaryBucket),
  broken: z.array(BrokenFile),
  brokenCount: z.number().int().nonnegative(),
});

// The schemas and the plain types must describe the same objects.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: [Same<z.infer<typeof Summary>, SummaryType>, Same<z.infer<typeof SummaryBucket>, SummaryBucketType>, Same<z.infer<typeof BrokenFile>, BrokenFileType>] = [true, true, true];
void agree;
