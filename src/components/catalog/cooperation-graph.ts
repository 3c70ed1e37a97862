// Geometry of the cooperation graph, drawn at build time as SVG: the patterns on an oval,
// grouped by category with a gap between groups, links drawn as curves bowed towards the
// centre so that many of them stay legible. Pure numbers; the page turns them into markup.
import type { PatternCatalog } from '../../catalog/schema.ts';
import { PatternCategory } from '../../catalog/schema.ts';

export interface GraphNode {
  id: string;
  title: string;
  /** Index of the category in PatternCategory's order (for its colour). */
  category: number;
  x: number;
  y: number;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'end';
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  /** SVG path data of a curve from one node to another. */
  curve(a: string, b: string): string | null;
}

const WIDTH = 1000;
const HEIGHT = 700;
/** Vertical room kept free above the first and below the last node. */
const MARGIN_Y = 40;
/** Horizontal distance of the nodes from the centre: at the middle rows, and at the top and bottom. */
const RX = 250;
const RX_ENDS = 90;
/** Room between a node and its label. */
const LABEL_GAP = 12;

/**
 * The patterns on an oval read clockwise: the first half down the right side, the rest up the
 * left, in category order with an empty slot between categories. Rows are evenly spaced in
 * height rather than in angle, so the horizontal labels (left of the left side, right of the
 * right side) never collide, however many patterns there are.
 */
export function circleLayout(catalog: PatternCatalog): GraphLayout {
  const categories = PatternCategory.options;
  const ordered = Object.keys(catalog).sort(
    (a, b) =>
      categories.indexOf(catalog[a]!.category) - categories.indexOf(catalog[b]!.category) ||
      catalog[a]!.title.localeCompare(catalog[b]!.title),
  );
  // Each id's slot, with one empty slot where the category changes.
  const slotOf = new Map<string, number>();
  let slot = 0;
  ordered.forEach((id, i) => {
    if (i > 0 && catalog[ordered[i - 1]!]!.category !== catalog[id]!.category) slot++;
    slotOf.set(id, slot++);
  });
  const slots = slot;
  const rightCount = Math.ceil(slots / 2);
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2;
  const half = HEIGHT / 2 - MARGIN_Y;
  const nodes: GraphNode[] = ordered.map((id) => {
    const meta = catalog[id]!;
    const s = slotOf.get(id)!;
    const right = s < rightCount;
    const count = right ? rightCount : slots - rightCount;
    const k = right ? s : s - rightCount;
    // Down the right side, then back up the left.
    const t = count > 1 ? k / (count - 1) : 0.5;
    const y = cy - half + (right ? t : 1 - t) * 2 * half;
    const u = (y - cy) / (half * 1.05);
    const dx = RX_ENDS + (RX - RX_ENDS) * Math.sqrt(Math.max(0, 1 - u * u));
    const x = right ? cx + dx : cx - dx;
    return {
      id,
      title: meta.title,
      category: categories.indexOf(meta.category),
      x: round(x),
      y: round(y),
      labelX: round(right ? x + LABEL_GAP : x - LABEL_GAP),
      labelY: round(y + 4.5),
      anchor: right ? 'start' : 'end',
    };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    width: WIDTH,
    height: HEIGHT,
    nodes,
    curve(a, b) {
      const p = byId.get(a);
      const q = byId.get(b);
      if (!p || !q) return null;
      // The control point: the chord's midpoint pulled most of the way to the centre.
      const mx = (p.x + q.x) / 2;
      const my = (p.y + q.y) / 2;
      const k = 0.25;
      return `M${p.x} ${p.y} Q${round(cx + (mx - cx) * k)} ${round(cy + (my - cy) * k)} ${q.x} ${q.y}`;
    },
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
