// The wait links a pasted debugger log proves (issue 12): a thread whose 32-bit stack enters a
// critical section, with the section's address in kb's first-argument column, and a `!locks` or
// `!cs` record of that section naming its owner. The debugger read the owner from memory; the
// stack says who waits. On an x64 stack kb's columns are the callee's home space, which holds
// whatever was last stored there, so x64 stacks give no link.
import type { DumpModel, Frame, WaitLink } from '../core/dump-model.ts';
import { archBits } from '../core/arch.ts';
import { big } from '../core/hex.ts';
import { waitShape } from './wait-shape.ts';
import { buildWaitGraph } from './wait-graph.ts';

export function textWaitLinks(model: DumpModel): WaitLink[] {
  const locks = model.locks ?? [];
  if (locks.length === 0) return [];
  const byAddress = new Map<bigint, number>();
  locks.forEach((l, i) => byAddress.set(big(l.address), i));
  const nativeBits = archBits(model.system.arch);
  const links: WaitLink[] = [];
  for (const t of model.threads) {
    const stacks: ['x86' | 'native', Frame[]][] = [];
    if (t.x86Frames && t.x86Frames.length > 0) stacks.push(['x86', t.x86Frames]);
    if (nativeBits === 32) stacks.push(['native', t.frames]);
    for (const [view, frames] of stacks) {
      const shape = waitShape(frames);
      if (!shape || shape.family !== 'critical-section') continue;
      let record: number | undefined;
      for (const i of shape.sectionFrames) {
        const a = frames[i]!.args?.[0];
        if (a === undefined || a === '0x0') continue;
        record = byAddress.get(big(a));
        break;
      }
      if (record === undefined) continue;
      const lock = locks[record]!;
      // Nobody owns it, or the waiter does (entering again succeeds): the log caught a moment in between.
      if (lock.ownerThreadId === null || lock.ownerThreadId === t.id) continue;
      links.push({
        threadId: t.id,
        view,
        on: { kind: 'critical-section', address: lock.address, handle: null, name: lock.name, record },
        ownerThreadId: lock.ownerThreadId,
        ownerProcessId: null,
        frames: shape.frames,
        source: 'debugger',
      });
      break;
    }
  }
  return links;
}

/** Sets `model.waitGraph` from what the log proves; leaves it unset when it proves no wait. */
export function addTextWaitGraph(model: DumpModel): void {
  const graph = buildWaitGraph(textWaitLinks(model), new Set(model.threads.map((t) => t.id)));
  if (graph) model.waitGraph = graph;
}
