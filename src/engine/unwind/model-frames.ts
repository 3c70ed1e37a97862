// A stack walk as the dump model's frames: addresses as hex strings, names from exports,
// the return-address column filled from the next frame, and how each frame was found.
import { hex } from '../core/hex.ts';
import type { Frame } from '../core/dump-model.ts';
import { nameAddress } from './symbolize.ts';
import type { ModuleLookup, StackWalk } from './types.ts';

export async function toModelFrames<R>(walk: StackWalk<R>, modules: ModuleLookup): Promise<Frame[]> {
  const out: Frame[] = [];
  for (const f of walk.frames) {
    const next = walk.frames[f.index + 1];
    const name = await nameAddress(f.ip, modules);
    const frame: Frame = {
      index: f.index,
      address: hex(f.ip),
      sp: hex(f.sp),
      retAddr: next ? hex(next.ip) : null,
      module: name.module,
      symbol: name.symbol,
      offset: name.offset === null ? null : hex(name.offset),
      trust: f.trust,
    };
    if (f.note) frame.note = f.note;
    out.push(frame);
  }
  return out;
}
