// The pass's state → the dump model, once everything the log tells is known. The steps run in
// an order that matters: annotations before the faulting thread (FAULTING_THREAD), the
// faulting thread before its stacks are chosen, modules and stacks before the architecture,
// the architecture before frames (their layout) and modules (WOW64's SysWOW64 DLLs).
import { archBits } from '../core/arch.ts';
import type { DumpModel, Module } from '../core/dump-model.ts';
import { parseHex } from '../core/hex.ts';
import { inferArch } from './arch-inference.ts';
import { applyBannerFacts } from './banner-facts.ts';
import { chosenStop } from './event-stops.ts';
import { buildException, exceptionAddressKnown, faultInstructionBytes } from './exception-record.ts';
import { assembleHeapReports } from './heap-reports.ts';
import { assembleLocks } from './lock-book.ts';
import { assembleModules, mergeModLoads } from './module-rows.ts';
import type { ReaderState } from './reader-state.ts';
import { adoptAnalysisStacks } from './stack-choice.ts';
import { faultingThreadId, resolvePendingStacks, resolveThread } from './thread-book.ts';
import { assembleThreads } from './thread-records.ts';
import { WorkMeter } from './work-meter.ts';

/** The FAULTING_THREAD an analysis named: a real id no placeholder may take. */
function analysisThread(annotations: Record<string, string>): number[] {
  const v = annotations['FAULTING_THREAD'] ? parseHex(annotations['FAULTING_THREAD'].split(/\s/)[0]!) : null;
  return v !== null && v <= 0xffffffffn ? [Number(v)] : [];
}

function hasAnalysisCode(annotations: Record<string, string>): boolean {
  return ['ERROR_CODE', 'EXCEPTION_CODE', 'EXCEPTION_CODE_STR'].some((k) => annotations[k]);
}

export function assemble(s: ReaderState, model: DumpModel, meter: WorkMeter = new WorkMeter()): void {
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

  // Stacks known only by a thread's number (or as the current thread's) go to their threads now
  // that the thread list, wherever it was printed, is read.
  resolvePendingStacks(s, analysisThread(model.annotations));
  let faultingTid = faultingThreadId(s, model.annotations);
  // An analysis stack pasted alone (STACK_TEXT with no thread list) is the current thread's.
  const analysisStack = s.analyze.blocks.some((a) => a.block.stack.length > 0);
  const stackOwner = faultingTid ?? (analysisStack ? resolveThread(s, 'current', true, analysisThread(model.annotations)) : null);
  adoptAnalysisStacks(s, stackOwner);
  if (faultingTid === null && stackOwner !== null && (chosenStop(s) !== null || hasAnalysisCode(model.annotations))) faultingTid = stackOwner;
  // Architecture: the OS line or build lab said it above; else the stacks and module bases.
  mergeModLoads(s);
  inferArch(s, model);

  model.process.pid = chosenStop(s)?.line?.pid ?? s.session.pid ?? s.heap.pid;
  assembleThreads(s, model, faultingTid, meter);
  const threads = model.threads;

  const faulting = threads.find((t) => t.faulting);
  const bits = archBits(model.system.arch) === 32 || model.process.wow64 ? 32 : 64;
  const regsRecord = bits === 32 && model.process.wow64 ? faulting?.x86Registers : faulting?.registers;
  const regs = regsRecord ? new Map(Object.entries(regsRecord).map(([k, v]) => [k, BigInt(v)] as const)) : null;
  // The exception belongs to the faulting thread; one the log never gave an id has none to name.
  const exceptionTid = faulting?.unidentified === 'id' || faulting?.unidentified === 'id-and-number' ? null : faultingTid;
  const top = (bits === 32 && model.process.wow64 ? faulting?.x86Frames : faulting?.frames)?.[0] ?? null;
  model.exception = buildException(s, model.annotations, exceptionTid, { regs, bits, comment: model.dump.comment, top });
  // The debugger printed the faulting instruction's bytes; the stack's words it did not. Only
  // x86 and x64 print bytes in memory order: ARM64 prints its instruction as one 32-bit word,
  // so a paste of unknown CPU whose instruction is 4 bytes long could be either, and is left out.
  const code = faultInstructionBytes(s, model.exception);
  const arch = model.system.arch;
  if (code !== null && (arch === 'x86' || arch === 'amd64' || (arch === 'unknown' && code.length !== 8))) model.faultBytes = { code, stack: [] };
  assembleModules(s, model, meter);
  assembleLocks(s.locks, s.threads.ordinalToTid, model);
  assembleHeapReports(s.heap, model);

  // "PROCESS_NAME:  Falcon BMS.exe": the name runs to the end of the line, spaces and all.
  const procName = model.annotations['PROCESS_NAME']?.split('\n')[0]!.trim();
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
