// "Pattern cooperation": when several patterns fire on one dump, say how they relate, from
// the catalog's related-pattern graph rather than hand-written pairs. The text names hubs —
// the fired pattern linked to most of the others first — so six patterns read as two or
// three sentences instead of fifteen pairs.
import type { PatternIndex } from './detector.ts';
import type { Finding } from './schema.ts';

function listWords(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function describeCooperation(findings: Finding[], catalog: PatternIndex): { patterns: string[]; text: string } | null {
  const ids = [...new Set(findings.map((f) => f.pattern))];
  if (ids.length < 2) return null;
  const title = (id: string): string => catalog[id]?.title ?? id;
  const linked = (a: string, b: string): boolean =>
    Boolean(catalog[a]?.related.includes(b) || catalog[b]?.related.includes(a));

  const uncovered = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) if (linked(ids[i]!, ids[j]!)) uncovered.add(`${ids[i]}|${ids[j]}`);
  }
  const edgeKey = (a: string, b: string): string => (ids.indexOf(a) < ids.indexOf(b) ? `${a}|${b}` : `${b}|${a}`);

  const sentences: string[] = [];
  const touched = new Set<string>();
  // Greedy cover: the pattern with the most uncovered links speaks first; at most three hubs.
  while (uncovered.size > 0 && sentences.length < 3) {
    let hub = ids[0]!;
    let best: string[] = [];
    for (const id of ids) {
      const partners = ids.filter((o) => o !== id && uncovered.has(edgeKey(id, o)));
      if (partners.length > best.length) {
        hub = id;
        best = partners;
      }
    }
    for (const p of best) uncovered.delete(edgeKey(hub, p));
    touched.add(hub);
    for (const p of best) touched.add(p);
    sentences.push(`${title(hub)} is linked in the catalog to ${listWords(best.map(title))}.`);
  }
  if (uncovered.size > 0) sentences.push(`${uncovered.size} more link${uncovered.size === 1 ? '' : 's'} join${uncovered.size === 1 ? 's' : ''} them.`);
  const alone = ids.filter((id) => !touched.has(id));

  const head = `${ids.length} patterns fire together.`;
  if (sentences.length === 0) {
    return { patterns: ids, text: `${head} The catalog records no link between ${listWords(ids.map(title))}: check each on its own.` };
  }
  const tail =
    alone.length > 0
      ? ` ${listWords(alone.map(title))} ${alone.length === 1 ? 'has' : 'have'} no catalogued link to the rest: check ${alone.length === 1 ? 'it on its own' : 'them on their own'}.`
      : '';
  return { patterns: ids, text: `${head} ${sentences.join(' ')} Read the linked ones as one story, not separate faults.${tail}` };
}
