// The pattern catalog as an Astro content collection. The frontmatter schema is shared with
// the CLI and the tests (src/catalog/schema.ts), so an invalid page fails the build.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { PatternMeta } from './catalog/schema.ts';

const patterns = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './src/content/patterns' }),
  schema: PatternMeta,
});

export const collections = { patterns };
