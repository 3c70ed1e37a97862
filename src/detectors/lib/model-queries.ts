// Questions detectors keep asking of the model, answered once. Module names are compared
// case-insensitively and without extension, as WinDbg prints them ("KERNELBASE" = "kernelbase.dll").
import type { DumpModel, Frame, Module } from '../../engine/core/dump-model.ts';
import { fileNameOf } from '../../engine/names/module-names.ts';

export function shortName(name: string): string {
  return fileNameOf(name).replace(/\.(dll|exe|sys|drv|ocx|cpl|so(\.\d+)*|dylib)$/i, '').toLowerCase();
}

export function frameIn(frame: Frame, modules: readonly string[]): boolean {
  return frame.module !== null && modules.includes(shortName(frame.module));
}

export function findModule(model: DumpModel, name: string): Module | undefined {
  const wanted = shortName(name);
  return model.modules.find((m) => shortName(m.name) === wanted);
}

/** Indices of the frames of `frames` that satisfy `test`. */
export function frameIndices(frames: readonly Frame[], test: (f: Frame) => boolean): number[] {
  const out: number[] = [];
  for (const f of frames) if (test(f)) out.push(f.index);
  return out;
}

export { faultingThread } from '../../engine/core/faulting-thread.ts';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
