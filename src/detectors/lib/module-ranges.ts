// Which module holds an address, for detectors that ask it of every frame or stack value. A
// plain scan of the list per question costs frames × modules: 100 000 frames over 100 000
// (unloaded) modules was 26 s of one report. The ranges are indexed once per list instead —
// split at every module's start and end into pieces, each knowing the first module in list
// order that covers it (the module a scan would return) — and a question is a binary search.
// Overlapping or nested ranges, which a hostile dump may list by the thousand, cost the index
// n log n to build, never more per question.
import type { Module } from '../../engine/core/dump-model.ts';
import { big } from '../../engine/core/hex.ts';

/** A min-heap of module positions in the list (the first module in list order wins). */
class FirstHeap {
  readonly #items: number[] = [];
  get size(): number {
    return this.#items.length;
  }
  peek(): number | undefined {
    return this.#items[0];
  }
  push(v: number): void {
    const a = this.#items;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): void {
    const a = this.#items;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! < a[m]!) m = l;
      if (r < a.length && a[r]! < a[m]!) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
  }
}

export class ModuleRanges {
  static readonly #cache = new WeakMap<readonly Module[], ModuleRanges>();
  /** Where each piece starts; piece k runs to points[k + 1]. */
  readonly #points: bigint[];
  /** The module covering piece k, or null. */
  readonly #owners: (Module | null)[];

  /** The index of `modules` (built once per list). */
  static of(modules: readonly Module[]): ModuleRanges {
    let r = ModuleRanges.#cache.get(modules);
    if (!r) {
      r = new ModuleRanges(modules);
      ModuleRanges.#cache.set(modules, r);
    }
    return r;
  }

  private constructor(modules: readonly Module[]) {
    const starts: bigint[] = [];
    const ends: bigint[] = [];
    const points: bigint[] = [];
    modules.forEach((m, i) => {
      const base = big(m.base);
      starts[i] = base;
      ends[i] = base + big(m.size);
      if (ends[i]! > base) points.push(base, ends[i]!);
    });
    points.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const unique = points.filter((p, i) => i === 0 || p !== points[i - 1]);
    const byStart = modules.map((_, i) => i).filter((i) => ends[i]! > starts[i]!);
    byStart.sort((a, b) => (starts[a]! < starts[b]! ? -1 : starts[a]! > starts[b]! ? 1 : a - b));
    const owners: (Module | null)[] = [];
    const open = new FirstHeap();
    let next = 0;
    for (const at of unique) {
      while (next < byStart.length && starts[byStart[next]!]! <= at) open.push(byStart[next++]!);
      // Modules that ended by here are dropped when they reach the top: only the top must be open.
      while (open.size > 0 && ends[open.peek()!]! <= at) open.pop();
      owners.push(open.size > 0 ? modules[open.peek()!]! : null);
    }
    this.#points = unique;
    this.#owners = owners;
  }

  /** The first module of the list whose range holds `address`, or null. */
  at(address: bigint): Module | null {
    const p = this.#points;
    let lo = 0;
    let hi = p.length - 1;
    if (hi < 0 || address < p[0]!) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (p[mid]! <= address) lo = mid;
      else hi = mid - 1;
    }
    return this.#owners[lo] ?? null;
  }
}
