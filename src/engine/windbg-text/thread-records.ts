// The model's threads: each thread the log showed, with its stacks (native and, for WOW64,
// x86) turned into frames and its registers per view.
import { hex } from '../core/hex.ts';
import type { DumpModel, Thread } from '../core/dump-model.ts';
import type { ReaderState } from './reader-state.ts';
import { registerRecord, threadRegisters } from './register-sets.ts';
import { sharedFrameContexts, toFrames } from './text-frames.ts';
import { archBits } from '../core/arch.ts';

/** Threads kept from one text (the faulting one always among them); see docs/limits.md. */
export const MAX_TEXT_THREADS = 2000;

/** Sets `model.threads`. Needs the architecture decided (frame layout) and the faulting thread chosen. */
export function assembleThreads(s: ReaderState, model: DumpModel, faultingTid: number | null): void {
  const is64 = archBits(model.system.arch) === 64;
  const shared = sharedFrameContexts(s);
  const regs = threadRegisters(s, faultingTid);

  const all = [...s.threads.byId.values()];
  // The same bound as a minidump's walked threads: detectors look at every frame of every
  // thread, and a log repeating one thread block 20 000 times must not cost them minutes.
  const kept = all.length > MAX_TEXT_THREADS ? all.filter((t, i) => i < MAX_TEXT_THREADS || t.id === faultingTid) : all;
  if (kept.length < all.length) {
    model.warnings.push({ kind: 'cap-threads', message: `only the first ${MAX_TEXT_THREADS} of ${all.length} threads in the text were read` });
  }
  model.threads = kept.map((t) => {
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
      frames: t.native ? toFrames(t.native, { ...shared.native, regs: regs.get(`${t.id}/native`) ?? null }, is64 ? 'x64' : 'x86') : [],
      framesNote: t.native ? null : 'the text printed no native stack for this thread',
    };
    if (t.x86) th.x86Frames = toFrames(t.x86, { ...shared.x86, regs: regs.get(`${t.id}/x86`) ?? null }, 'x86');
    const native = regs.get(`${t.id}/native`);
    if (native) th.registers = registerRecord(native);
    const x86 = regs.get(`${t.id}/x86`);
    if (x86) th.x86Registers = registerRecord(x86);
    return th;
  });
}
