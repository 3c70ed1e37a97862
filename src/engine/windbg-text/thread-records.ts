// The model's threads: each thread the log showed, with its stacks (native and, for WOW64,
// x86) turned into frames and its registers per view.
import { hex } from '../core/hex.ts';
import type { DumpModel, Thread } from '../core/dump-model.ts';
import type { ReaderState } from './reader-state.ts';
import { registerRecord, threadRegisters } from './register-sets.ts';
import { sharedFrameContexts, toFrames } from './text-frames.ts';
import { archBits } from '../core/arch.ts';
import type { WorkMeter } from './work-meter.ts';

/** Assembly work one frame counts for on the work meter (a frame costs about a line of text). */
const FRAME_COST = 64;

/** Threads kept from one text (the faulting one always among them); see docs/limits.md. */
export const MAX_TEXT_THREADS = 2000;

/** Sets `model.threads`. Needs the architecture decided (frame layout) and the faulting thread chosen. */
export function assembleThreads(s: ReaderState, model: DumpModel, faultingTid: number | null, meter?: WorkMeter): void {
  const is64 = archBits(model.system.arch) === 64;
  const shared = sharedFrameContexts(s);
  const regs = threadRegisters(s, faultingTid);

  // In the order the log first showed them, a stack printed before the thread list included.
  const all = [...s.threads.byId.values()].sort((a, b) => a.firstSeen - b.firstSeen);
  // The same bound as a minidump's walked threads: detectors look at every frame of every
  // thread, and a log repeating one thread block 20 000 times must not cost them minutes.
  const kept = all.length > MAX_TEXT_THREADS ? all.filter((t, i) => i < MAX_TEXT_THREADS || t.id === faultingTid) : all;
  if (kept.length < all.length) {
    model.warnings.push({ kind: 'cap-threads', message: `only the first ${MAX_TEXT_THREADS} of ${all.length} threads in the text were read` });
  }
  let stopped = false;
  model.threads = kept.map((t) => {
    // The time budget holds here too: past it, threads keep their facts but not their frames.
    if (!stopped && meter?.spend(((t.native?.length ?? 0) + (t.x86?.length ?? 0)) * FRAME_COST)) {
      stopped = true;
      model.warnings.push(meter.warning('the stacks of the remaining threads were not put together'));
      model.missing.push('stacks past the time budget');
    }
    const walk = !stopped || t.id === faultingTid;
    const th: Thread = {
      id: t.id,
      ordinal: t.ordinal,
      name: t.name,
      teb: t.teb !== null ? hex(t.teb) : null,
      suspendCount: t.suspend,
      frozen: t.frozen,
      priority: t.priority,
      faulting: t.id === faultingTid,
      times: t.userSeconds !== null || t.kernelSeconds !== null ? { created: null, userSeconds: t.userSeconds, kernelSeconds: t.kernelSeconds } : null,
      frames: t.native && walk ? toFrames(t.native, { ...shared.native, regs: regs.get(`${t.id}/native`) ?? null }, is64 ? 'x64' : 'x86') : [],
      framesNote: !walk ? 'not read: the analysis ran out of time' : t.native ? null : 'the text printed no native stack for this thread',
    };
    const unidentified = t.unidentified ?? (t.ordinalKnown ? null : 'number');
    if (unidentified) th.unidentified = unidentified;
    if (t.x86 && walk) th.x86Frames = toFrames(t.x86, { ...shared.x86, regs: regs.get(`${t.id}/x86`) ?? null }, 'x86');
    const native = regs.get(`${t.id}/native`);
    if (native) th.registers = registerRecord(native);
    const x86 = regs.get(`${t.id}/x86`);
    if (x86) th.x86Registers = registerRecord(x86);
    return th;
  });
}
