// HandleData descriptors → the model's handles, with what the object information says of each
// object (issue 12: a mutex's owner, the thread or process a handle names). These are the facts
// that resolve a thread's wait on a handle to the thread that must act.
import type { DumpModel } from '../../core/dump-model.ts';
import { code32, hex } from '../../core/hex.ts';
import type { MinidumpHandle } from '../../minidump/handle-data.ts';

type ModelHandle = NonNullable<DumpModel['handles']>[number];

export function handleRecord(h: MinidumpHandle): ModelHandle {
  const out: ModelHandle = { value: hex(h.handle), type: h.typeName, object: h.objectName };
  const info = h.objectInfo;
  if (!info) return out;
  if (info.mutant || info.mutantOwner) {
    // CLIENT_ID zeros: nobody owns it. A mutant record without its owner record leaves the owner unknown.
    const owner = info.mutantOwner && info.mutantOwner.threadId !== 0 ? info.mutantOwner : null;
    out.mutant = {
      currentCount: info.mutant?.currentCount ?? null,
      abandoned: info.mutant?.abandoned ?? null,
      ownerKnown: info.mutantOwner !== undefined,
      ownerThreadId: owner?.threadId ?? null,
      ownerProcessId: owner?.processId ?? null,
    };
  }
  if (info.thread) out.thread = { threadId: info.thread.threadId, processId: info.thread.processId, exitStatus: code32(info.thread.exitStatus) };
  if (info.process) out.process = { processId: info.process.processId, exitStatus: code32(info.process.exitStatus) };
  return out;
}
