// The wait graph (issue 12): links (thread → object → owner) → cycles, chains and the head of
// the longest chain. One builder for both inputs: the minidump's links come from its memory and
// HandleData stream (minidump/wait-recovery.ts), a pasted log's from `!locks` and kb arguments
// (text-waits.ts), and the detectors read the one result.
//
// Each thread follows at most one link out (the first whose owner is a thread): a thread blocks
// in one wait at a time, and the recovery resolves only waits on one object. Following those
// from any thread either ends at a thread with no way out — the head — or comes back round: a
// deadlock.
import type { WaitChain, WaitGraph, WaitHead, WaitLink } from '../core/dump-model.ts';

/** Chains kept in the model, longest first; the rest are dropped (the graph's links keep them all). */
export const MAX_CHAINS = 32;
/** Cycles kept in the model. */
export const MAX_CYCLES = 32;

export function buildWaitGraph(links: readonly WaitLink[], threadIds: ReadonlySet<number>): WaitGraph | undefined {
  if (links.length === 0) return undefined;
  /** The one link a thread follows out to another thread, by waiter. */
  const out = new Map<number, number>();
  /** A link with no owner thread (an event; a process; an owner outside): where a chain leaves or stops. */
  const ends = new Map<number, number>();
  links.forEach((l, i) => {
    if (l.ownerThreadId !== null && l.ownerThreadId !== l.threadId) {
      if (!out.has(l.threadId)) out.set(l.threadId, i);
    } else if (!ends.has(l.threadId)) ends.set(l.threadId, i);
  });

  // Each thread's fate: on a cycle, behind a cycle, or the number of links to its head.
  const onCycle = new Set<number>();
  const behindCycle = new Set<number>();
  const cycles: number[][] = [];
  const done = new Set<number>();
  for (const start of out.keys()) {
    if (done.has(start)) continue;
    const path: number[] = [];
    const onPath = new Map<number, number>();
    let at: number | undefined = start;
    while (at !== undefined && !onPath.has(at) && !done.has(at)) {
      onPath.set(at, path.length);
      path.push(at);
      const l = out.get(at);
      at = l === undefined ? undefined : links[l]!.ownerThreadId!;
    }
    if (at !== undefined && onPath.has(at)) {
      const from = onPath.get(at)!;
      const ring = path.slice(from);
      for (const id of ring) onCycle.add(id);
      for (const id of path.slice(0, from)) behindCycle.add(id);
      if (cycles.length < MAX_CYCLES) cycles.push(ring.map((id) => out.get(id)!));
    } else if (at !== undefined && (onCycle.has(at) || behindCycle.has(at))) {
      for (const id of path) behindCycle.add(id);
    }
    for (const id of path) done.add(id);
  }

  // Chains: from each waiter nobody waits for, along its links to the head.
  const waitedFor = new Set<number>();
  for (const l of out.values()) waitedFor.add(links[l]!.ownerThreadId!);
  const chains: WaitChain[] = [];
  for (const start of out.keys()) {
    if (waitedFor.has(start) || onCycle.has(start) || behindCycle.has(start)) continue;
    const path: number[] = [];
    let at = start;
    // Bounded by the thread count: the walk is acyclic here.
    for (let n = 0; n <= out.size; n++) {
      const l = out.get(at);
      if (l === undefined) break;
      path.push(l);
      at = links[l]!.ownerThreadId!;
    }
    chains.push({ links: path, head: headOf(at, links, ends, threadIds) });
  }
  // Threads that wait only on an object owned elsewhere (a process, a mutex of another
  // process) start a chain of one link that leaves the process.
  for (const [thread, l] of ends) {
    const link = links[l]!;
    if (out.has(thread) || waitedFor.has(thread) || link.ownerProcessId === null) continue;
    chains.push({ links: [l], head: { threadId: null, processId: link.ownerProcessId, inDump: false, waitsOn: null } });
  }
  // A chain that reaches a thread waiting on something owned elsewhere goes on out of the process.
  for (const c of chains) {
    if (c.head.threadId === null) continue;
    const l = ends.get(c.head.threadId);
    if (l !== undefined && links[l]!.ownerProcessId !== null) {
      c.links.push(l);
      c.head = { threadId: null, processId: links[l]!.ownerProcessId, inDump: false, waitsOn: null };
    }
  }
  chains.sort((a, b) => b.links.length - a.links.length);
  return { links: [...links], cycles, chains: chains.slice(0, MAX_CHAINS), head: chains[0]?.head ?? null };
}

function headOf(threadId: number, links: readonly WaitLink[], ends: ReadonlyMap<number, number>, threadIds: ReadonlySet<number>): WaitHead {
  const end = ends.get(threadId);
  const waitsOn = end !== undefined && links[end]!.ownerProcessId === null ? links[end]!.on : null;
  return { threadId, processId: null, inDump: threadIds.has(threadId), waitsOn };
}
