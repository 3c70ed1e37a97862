// Questions detectors keep asking of the model, answered once. Module names are compared
// case-insensitively and without extension, as WinDbg prints them ("KERNELBASE" = "kernelbase.dll").
import type { DumpModel, Frame, Module, Thread } from '../../engine/model/schema.ts';

export function shortName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  return file.replace(/\.(dll|exe|sys|drv|ocx|cpl|so(\.\d+)*|dylib)$/i, '').toLowerCase();
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

export function faultingThread(model: DumpModel): Thread | undefined {
  const id = model.exception?.threadId;
  return (id != null ? model.threads.find((t) => t.id === id) : undefined) ?? model.threads.find((t) => t.faulting);
}

export function is64BitArch(model: DumpModel): boolean {
  return model.system.arch === 'amd64' || model.system.arch === 'arm64';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
