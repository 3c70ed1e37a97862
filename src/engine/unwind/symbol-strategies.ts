// The walkers' strategies that read a symbol file (x86 frame data, STACK CFI), as thin entries
// that load their code only when the module at hand has a symbol file: in the browser that
// code (and the postfix evaluator it runs) is a chunk fetched only when symbols were dropped,
// so the analyzer's first load does not carry it.
import type { Amd64Registers, UnwindEnv, UnwoundFrame, X86Registers } from './types.ts';
import type { Strategy } from './walker.ts';

/** True when the module holding the frame's code has a symbol file. */
async function hasSymbols(frame: UnwoundFrame<unknown>, env: UnwindEnv): Promise<boolean> {
  // A return address belongs to the call before it; frame 0 stands at the instruction itself.
  const module = env.moduleAt(frame.index === 0 ? frame.ip : frame.ip - 1n);
  return module?.symbols !== undefined && (await module.symbols()) !== null;
}

/** A strategy whose code is loaded on first use, and only for a module that has a symbol file. */
function whenSymbols<R>(load: () => Promise<Strategy<R>>): Strategy<R> {
  return async (callee, env, limits, warnings, first) => ((await hasSymbols(callee, env)) ? (await load())(callee, env, limits, warnings, first) : null);
}

/** x86: frame data, then STACK CFI (symbol-walk.ts). */
export const getX86CallerBySymbols = whenSymbols<X86Registers>(async () => (await import('./symbol-walk.ts')).x86);
/** x64: STACK CFI (symbol-walk.ts). */
export const getAmd64CallerBySymbols = whenSymbols<Amd64Registers>(async () => (await import('./symbol-walk.ts')).amd64);
