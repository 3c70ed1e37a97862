// The target's architecture and the process's bitness when the banner did not say them. A
// paste often lacks the OS line, so the width comes from what is left: `.effmach`, stack
// column layouts, module bases above 4 GB, WOW64's own modules in a stack or in lm.
import type { DumpModel } from '../core/dump-model.ts';
import type { ReaderState } from './reader-state.ts';
import { archBits } from '../core/arch.ts';

const WOW64_MODULES = /^(?:wow64|wow64cpu|wow64win|wowarmhw|xtajit|xtajit64)$/i;

/**
 * Sets `system.arch` (when still unknown), `process.wow64` and `process.bitness`. Needs the
 * module rows complete (ModLoad lines merged) and the analysis stacks adopted.
 */
export function inferArch(s: ReaderState, model: DumpModel): void {
  const maxModuleEnd = s.modules.rows.reduce((m, r) => (r.end > m ? r.end : m), 0n);
  if (model.system.arch === 'unknown') {
    if (s.session.effectiveMachineNative) model.system.arch = s.session.effectiveMachineNative;
    else if (s.session.switchedToX86 || s.threads.sawX64Layout || maxModuleEnd > 0xffffffffn) model.system.arch = 'amd64';
    else if (s.threads.sawX86Layout || s.modules.rows.length > 0) model.system.arch = 'x86';
    else {
      // A pasted `!analyze -v` alone: its stack's addresses tell the width (x64 return
      // addresses into system DLLs are far above 4 GB).
      const frames = s.analyze.blocks.flatMap((a) => a.block.stack);
      if (frames.some((l) => (l.frame.retAddr ?? 0n) > 0xffffffffn || (l.frame.sp ?? 0n) > 0xffffffffn)) model.system.arch = 'amd64';
      else if (frames.some((l) => l.frame.sp !== null)) model.system.arch = 'x86';
    }
  }
  const bits = archBits(model.system.arch);
  const is64 = bits === 64;
  const wow64Frames = [...s.threads.byId.values()].some((t) => t.native?.some((l) => l.frame.callSite.module && WOW64_MODULES.test(l.frame.callSite.module)));
  const wow64Modules = s.modules.rows.some((r) => WOW64_MODULES.test(r.name));
  model.process.wow64 = is64 && (s.session.switchedToX86 || wow64Frames || wow64Modules);
  model.process.bitness = model.process.wow64 ? 32 : bits;
}
