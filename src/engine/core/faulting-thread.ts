// The thread the exception belongs to: the one the exception record names by id, else the one
// the reader marked `faulting` (a text log may name no id, or the debugger's current thread).
// Detectors ask it of the model; the report and the page ask it of the report (a model too).
import type { DumpModel, Thread } from './dump-model.ts';

export function faultingThread(model: Pick<DumpModel, 'exception' | 'threads'>): Thread | undefined {
  const id = model.exception?.threadId;
  return (id != null ? model.threads.find((t) => t.id === id) : undefined) ?? model.threads.find((t) => t.faulting);
}
