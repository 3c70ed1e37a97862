// The pass's state → the dump model, once everything the log tells is known. The steps run in
// an order that matters: annotations before the faulting thread (FAULTING_THREAD), the
// faulting thread before its stacks are chosen, modules and stacks before the architecture,
// the architecture before frames (their layout) and modules (WOW64's SysWOW64 DLLs).
import type { DumpModel, Module } from '../core/dump-model.ts';
import { inferArch } from './arch-inference.ts';
import { applyBannerFacts } from './banner-facts.ts';
import { buildException, exceptionAddressKnown } from './exception-record.ts';
import { assembleLocks } from './lock-book.ts';
import { assembleModules, mergeModLoads } from './module-rows.ts';
import type { ReaderState } from './reader-state.ts';
import { adoptAnalysisStacks } from './stack-choice.ts';
import { faultingThreadId } from './thread-book.ts';
import { assembleThreads } from './thread-records.ts';

export function assemble(s: ReaderState, model: DumpModel): void {
  // Once per distinct warning: a text of 500 000 orphan stacks says "dropped" once, and a
  // spread of that many arguments would overflow the call stack.
  const seen = new Set<string>();
  for (const w of s.warnings) {
    const key = `${w.kind}\u0000${w.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    model.warnings.push(w);
  }
  applyBannerFacts(s.banner.facts, model);
  if (s.recognised > 0) model.system.platform = 'windows';

  // Annotations: loose keys first, then each !analyze block in order; a later analysis (often
  // the one after `.effmach x86`, the meaningful one for a WOW64 process) wins on a clash.
  Object.assign(model.annotations, s.analyze.loose);
  for (const a of s.analyze.blocks) Object.assign(model.annotations, a.block.annotations);

  const faultingTid = faultingThreadId(s, model.annotations);
  adoptAnalysisStacks(s, faultingTid);
  // Architecture: the OS line or build lab said it above; else the stacks and module bases.
  mergeModLoads(s);
  inferArch(s, model);

  model.process.pid = s.exception.eventLine?.pid ?? s.session.pid;
  assembleThreads(s, model, faultingTid);
  const threads = model.threads;

  model.exception = buildException(s, model.annotations, faultingTid);
  assembleModules(s, model);
  assembleLocks(s.locks, s.threads.ordinalToTid, model);

  const procName = model.annotations['PROCESS_NAME']?.split(/\s/)[0];
  const exe: Module | undefined = model.modules.find((m) => /\.exe$/i.test(m.name));
  const image = s.session.processImage?.split(/[\\/]/).pop();
  model.process.name = procName || image || exe?.name || null;
  model.process.userSeconds = s.session.processTimes.user;
  model.process.kernelSeconds = s.session.processTimes.kernel;
  if (s.session.kernelLines > 0) {
    model.warnings.push({ kind: 'kernel-output', message: `${s.session.kernelLines} line(s) of kernel debugger (kd>) output were skipped: they describe no user-mode thread` });
  }

  const missing = model.missing;
  if (model.modules.length === 0) missing.push('modules');
  if (![...s.threads.byId.values()].some((t) => t.listed)) missing.push('thread list');
  if (model.process.wow64 && !threads.some((t) => t.x86Frames && t.x86Frames.length > 0)) missing.push('x86 stacks');
  // Registers count as read when the thread that matters (the faulting one, else any) has them.
  const focus = threads.find((t) => t.faulting);
  const hasRegisters = focus ? !!(focus.registers || focus.x86Registers) : threads.some((t) => t.registers || t.x86Registers);
  if (!model.exception) missing.push('exception');
  else if (!exceptionAddressKnown(s, model.annotations)) missing.push('exception address');
  if (!model.system.os) missing.push('os version');
  // Text never carries these: detectors that need them must not expect them here.
  if (!hasRegisters) missing.push('registers');
  missing.push('stack memory');
}
