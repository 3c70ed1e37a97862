// How patterns relate, from data rather than by hand: the `related` lists of the pages (read in
// both directions: a page that lists this one is related too) and which patterns fire together
// on the fixtures (src/components/catalog/example-reports.ts).
import type { PatternCatalog } from '../../catalog/schema.ts';

export interface RelatedBothWays {
  /** Ids this page lists in its frontmatter, in its order. */
  listed: string[];
  /** Ids of pages that list this one but are not listed by it, sorted. */
  linkedFrom: string[];
}

export function relatedBothWays(id: string, catalog: PatternCatalog): RelatedBothWays {
  const listed = (catalog[id]?.related ?? []).filter((r) => r !== id && catalog[r] !== undefined);
  const linkedFrom = Object.keys(catalog)
    .filter((other) => other !== id && catalog[other]!.related.includes(id) && !listed.includes(other))
    .sort();
  return { listed, linkedFrom };
}

/** An undirected link between two pages; `mutual` when each lists the other. */
export interface RelatedEdge {
  a: string;
  b: string;
  mutual: boolean;
}

export function relatedEdges(catalog: PatternCatalog): RelatedEdge[] {
  const edges = new Map<string, RelatedEdge>();
  for (const [id, meta] of Object.entries(catalog)) {
    for (const other of meta.related) {
      if (other === id || catalog[other] === undefined) continue;
      const [a, b] = id < other ? [id, other] : [other, id];
      const key = `${a} ${b}`;
      const seen = edges.get(key);
      if (seen) seen.mutual = true;
      else edges.set(key, { a, b, mutual: false });
    }
  }
  return [...edges.values()].sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

/** Two patterns that fired on the same fixtures. */
export interface CoFiring {
  a: string;
  b: string;
  fixtures: string[];
  /** Whether the catalog links the two pages (either direction). */
  related: boolean;
}

/** Every pair of patterns that fire together on at least one fixture, most fixtures first. */
export function coFiringPairs(firings: { fixture: string; patterns: string[] }[], catalog: PatternCatalog): CoFiring[] {
  const pairs = new Map<string, CoFiring>();
  for (const { fixture, patterns } of firings) {
    const ids = [...new Set(patterns)].sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i]!;
        const b = ids[j]!;
        const key = `${a} ${b}`;
        const pair = pairs.get(key) ?? { a, b, fixtures: [], related: linked(a, b, catalog) };
        if (!pair.fixtures.includes(fixture)) pair.fixtures.push(fixture);
        pairs.set(key, pair);
      }
    }
  }
  return [...pairs.values()].sort((x, y) => y.fixtures.length - x.fixtures.length || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

function linked(a: string, b: string, catalog: PatternCatalog): boolean {
  return Boolean(catalog[a]?.related.includes(b) || catalog[b]?.related.includes(a));
}

/** The patterns a given one fires together with, and on how many fixtures. */
export function firesWith(id: string, pairs: CoFiring[]): { id: string; fixtures: string[] }[] {
  return pairs
    .filter((p) => p.a === id || p.b === id)
    .map((p) => ({ id: p.a === id ? p.b : p.a, fixtures: p.fixtures }));
}
