import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/dynamic-memory-corruption-double-free.txt',
      confidence: 'certain',
      why: "WinDbg's analysis: HEAP_CORRUPTION_ACTIONABLE_BlockNotBusy_DOUBLE_FREE",
      check: (finding) => {
        expect(finding.messageId).toBe('analysis');
        expect(finding.data['during']).toBe(', in ucrtbase!_free_base+0x1b called from Catalog!Catalog::Item::~Item+0x2e');
      },
    },
    {
      fixture: 'windbg/real/10-gh-drmemory-1161-heap-invalid-free-break-x86.txt',
      why: 'real log (Dr. Memory issue 1161): "Invalid address specified to RtlFreeHeap" and the debug heap’s break in RtlpBreakPointHeap under RtlDebugFreeHeap',
      // likely from the heap's message where the reader keeps it; possible from the stack alone
      check: (finding) => expect(['heapMessage', 'freeCheck']).toContain(finding.messageId),
    },
  ],
  silent: [
    { fixture: 'dumps/dynamic-memory-corruption.dmp', why: "Wine's heap reports nothing: a later access violation in RtlAllocateHeap, no names" },
    { fixture: 'windbg/real/09-gh-winafl-96-c0000374-kb-x86.txt', why: 'heap corruption (c0000374) with nothing that says double free' },
    { fixture: 'windbg/x86-heap-corruption-kv.txt', why: 'heap corruption found by an allocation' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
  ],
});
