// Insufficient Memory (Committed Memory): the process asked for memory and the system had none
// to commit: the commit limit (RAM plus paging files) was reached, a job object's memory limit
// was hit, or the request itself was beyond any limit. The heap manager raises
// STATUS_NO_MEMORY (0xc0000017) when asked to (HEAP_GENERATE_EXCEPTIONS, and the C++ runtime's
// failure paths), the memory manager returns STATUS_COMMITMENT_LIMIT (0xc000012d). The dump's
// memory map (MemoryInfoListStream, written by full and "memory info" dumps) says how much the
// process itself had committed: a lot points at a leak in it, little at the rest of the system.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { frameText } from '../engine/core/frame-text.ts';
import { faultPlace, windowsCode } from './lib/exception-codes.ts';
import { exceptionEvidence, exceptionSubject, faultingFramesEvidence } from './lib/exception-evidence.ts';
import { faultingThread } from './lib/model-queries.ts';
import { runtimeName } from './lib/runtime-functions.ts';
import { isSystemFrame } from './lib/system-modules.ts';

const NO_MEMORY: ReadonlyMap<number, string> = new Map([
  [0xc0000017, 'STATUS_NO_MEMORY'],
  [0xc000012d, 'STATUS_COMMITMENT_LIMIT'],
]);
/** The allocators a failed request comes through. */
const ALLOCATORS = new Set(['RtlAllocateHeap', 'RtlpAllocateHeap', 'RtlpAllocateHeapInternal', 'RtlReAllocateHeap', 'HeapAlloc', 'HeapReAlloc', 'VirtualAlloc', 'VirtualAllocEx', 'NtAllocateVirtualMemory', 'malloc', 'calloc', 'realloc', '_malloc_base', 'operator new']);

function gib(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

export default defineDetector({
  id: 'insufficient-memory-committed-memory',
  messages: {
    noMemory: '{{subject}} could not get memory ({{name}}){{during}}{{commit}}.',
  },
  detect(model) {
    const e = model.exception;
    const code = windowsCode(model);
    const name = code === null ? undefined : NO_MEMORY.get(code);
    if (!e || !name) return [];
    const thread = faultingThread(model);
    const frames = thread?.frames ?? [];
    const allocators = frames.filter((f) => f.symbol !== null && f.trust !== 'scan' && ALLOCATORS.has(runtimeName(f.symbol)));
    const outer = allocators[allocators.length - 1];
    const caller = outer ? frames.find((f) => f.index > outer.index && !isSystemFrame(f)) : undefined;
    const place = faultPlace(model);
    const during = outer ? ` in ${frameText(outer)}${caller ? `, called from ${frameText(caller)}` : ''}` : place ? ` at ${place}` : '';
    const map = model.memory?.map;
    const commit = map
      ? `; the process had ${gib(map.committedBytes)} committed (${gib(map.privateCommittedBytes)} private, ${gib(map.imageCommittedBytes)} images, ${gib(map.mappedCommittedBytes)} mapped) and ${gib(map.reservedBytes)} reserved; the largest free block below its highest allocation was ${gib(map.largestFreeBytes)}`
      : '; the dump has no memory map (MemoryInfoList) to tell how much the process had committed';
    const evidence: Evidence[] = [...exceptionEvidence(model, name, ['EXCEPTION_CODE_STR', 'FAILURE_BUCKET_ID'])];
    if (allocators.length > 0) evidence.push(...faultingFramesEvidence(model, allocators.map((f) => f.index), 'the allocation that failed'));
    if (caller) evidence.push(...faultingFramesEvidence(model, [caller.index], 'the code that asked for the memory'));
    if (map) evidence.push({ kind: 'field', path: 'memory.map', note: "the process's memory when the dump was written" });
    return [{ confidence: 'certain', messageId: 'noMemory', data: { subject: exceptionSubject(model), name, during, commit }, evidence }];
  },
});
