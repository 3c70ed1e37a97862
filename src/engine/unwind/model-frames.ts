// A stack walk as the dump model's frames: addresses as hex strings, names from symbol files
// or exports, the return-address column filled from the next frame, and how each frame was
// found. A walked frame whose code holds inlined calls becomes several model frames, as WinDbg
// numbers them: one per inline level (innermost first, `inline: true`, same address and stack
// pointer, no return address), then the function they were inlined into. Model indices count
// every frame, so the evidence detectors give (frame indices) and the rows the renderers print
// agree.
import { hex } from '../core/hex.ts';
import type { Frame } from '../core/dump-model.ts';
import { nameFrames } from './symbolize.ts';
import type { ModuleLookup, StackWalk, UnwoundFrame } from './types.ts';

export interface ModelFrameOptions<R> {
  /**
   * The stack-pointer column of a frame: what the debugger prints there (x64's Child-SP, the
   * default; x86's ChildEBP, the frame's EBP, null when unknown).
   */
  spColumn?: (frame: UnwoundFrame<R>) => bigint | null;
  /** Polled before each frame is named; true names the rest by module and offset only (the time budget). */
  shouldStop?: (() => boolean) | undefined;
}

export async function toModelFrames<R>(walk: StackWalk<R>, modules: ModuleLookup, options: ModelFrameOptions<R> = {}): Promise<Frame[]> {
  const out: Frame[] = [];
  for (const f of walk.frames) {
    const next = walk.frames[f.index + 1];
    const sp = options.spColumn ? options.spColumn(f) : f.sp;
    // Frame 0 and frames restored from an interrupted context stand at the instruction itself;
    // the others at a return address.
    const names = await nameFrames(f.ip, modules, { returnAddress: f.index > 0 && f.trust !== 'context', shouldStop: options.shouldStop });
    for (let level = 0; level < names.length; level++) {
      const name = names[level]!;
      const frame: Frame = {
        index: out.length,
        address: hex(f.ip),
        sp: sp === null ? null : hex(sp),
        retAddr: name.inline ? null : next ? hex(next.ip) : null,
        module: name.module,
        symbol: name.symbol,
        offset: name.offset === null ? null : hex(name.offset),
        trust: f.trust,
      };
      // A note about the walked frame goes on its first row, where the renderers print it above.
      if (f.note && level === 0) frame.note = f.note;
      if (name.source) frame.source = name.source;
      if (name.inline) frame.inline = true;
      else if (f.fpo) frame.fpo = true;
      out.push(frame);
    }
  }
  return out;
}
