// "Pattern cooperation": when several patterns fire on one dump, say how they relate, from
// the catalog's related-pattern graph rather than hand-written pairs.
import type { PatternCatalog } from '../../catalog/schema.ts';
import type { Finding } from './schema.ts';

export function describeCooperation(findings: Finding[], catalog: PatternCatalog): { patterns: string[]; text: string } | null {
  const ids = [...new Set(findings.map((f) => f.pattern))];
  if (ids.length < 2) return null;
  const title = (id: string): string => catalog[id]?.title ?? id;
  const links: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      if (catalog[a]?.related.includes(b) || catalog[b]?.related.includes(a)) links.push(`${title(a)} ↔ ${title(b)}`);
    }
  }
  const names = ids.map(title);
  const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const text =
    links.length > 0
      ? `${list} fire together. The catalog links ${links.join('; ')}: read them as one story, not separate faults.`
      : `${list} fire together; the catalog records no direct link between them, so check each on its own.`;
  return { patterns: ids, text };
}
