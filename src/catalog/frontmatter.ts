// Reads a pattern page's frontmatter outside Astro (CLI, tests, the build check), with the
// same zod schema Astro's content collection uses, so both see the same metadata.
import { parse as parseYaml } from 'yaml';
import { PatternMeta } from './schema.ts';

export function parseFrontmatter(source: string, file: string): PatternMeta {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(source);
  if (!match) throw new Error(`${file}: no frontmatter block (--- … ---) at the top`);
  const data: unknown = parseYaml(match[1]!);
  const parsed = PatternMeta.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: invalid frontmatter: ${issues}`);
  }
  return parsed.data;
}
