// Pattern page frontmatter: the single home of a pattern's metadata. Astro validates it at
// build time (src/content.config.ts); the CLI and the tests validate it with the same schema.
import { z } from 'zod';

export const PatternId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case id');

export const PatternCategory = z.enum([
  'Exceptions',
  'Memory',
  'Stacks',
  'Threads and synchronization',
  'Dump and environment',
  'Processes and systems',
]);
export type PatternCategory = z.infer<typeof PatternCategory>;

export const PatternInput = z.enum(['minidump', 'debugger-text']);

export const PatternMeta = z.object({
  title: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  category: PatternCategory,
  /** One line: what the pattern is, shown in the index and in findings. */
  summary: z.string().min(10).max(200),
  /** Which inputs the detector can judge. */
  inputs: z.array(PatternInput).min(1),
  /** Ids of related pattern pages; each must exist. */
  related: z.array(PatternId).default([]),
  /** Fixture paths (relative to fixtures/) that show the pattern; the first is the page's example and "Try it". */
  examples: z.array(z.string()).min(1),
});
export type PatternMeta = z.infer<typeof PatternMeta>;
export type PatternCatalog = Record<string, PatternMeta>;
