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
      confidence: 'likely',
      why: 'real log (Dr. Memory issue 1161): "Invalid address specified to RtlFreeHeap" and the debug heap’s break in RtlpBreakPointHeap under RtlDebugFreeHeap',
      // Likely, not certain: the debug heap prints this message for a block that is not busy —
      // freed already, or never handed out by that heap — and the log does not say which.
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'heapMessage',
          data: { message: 'Invalid address specified to RtlFreeHeap( 01A80000, 01D405B8 )', during: ', in ntdll!RtlpFreeHeap+0x74' },
        });
        expect(finding.evidence[0]).toMatchObject({ kind: 'field', path: 'annotations.HEAP_ERROR' });
      },
    },
  ],
  silent: [
    { fixture: 'dumps/dynamic-memory-corruption.dmp', why: "Wine's heap reports nothing: a later access violation in RtlAllocateHeap, no names" },
    { fixture: 'windbg/real/09-gh-winafl-96-c0000374-kb-x86.txt', why: 'heap corruption (c0000374) with nothing that says double free' },
    { fixture: 'windbg/x86-heap-corruption-kv.txt', why: 'heap corruption found by an allocation' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
  ],
});
