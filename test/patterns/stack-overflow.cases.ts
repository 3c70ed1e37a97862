import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/real/01-msdocs-stackoverflow-comctl32-x86.txt',
      confidence: 'certain',
      why: 'real (Microsoft docs): `.lastevent` says C00000FD at second chance; `k` under 0:002 printed before the thread list',
      check: (finding, report) => {
        expect(finding.messageId).toBe('overflow');
        expect(finding.data).toMatchObject({ subject: 'Thread ~2 (id 0x598)', at: ' at COMCTL32!_chkstk' });
        expect(report.exception).toMatchObject({ threadId: 0x598, chance: 'second', address: null });
      },
    },
    {
      fixture: 'corpus/breakpad/stack_exhaustion.dmp',
      confidence: 'certain',
      why: 'real x86 dump written by Breakpad: recursion until the guard page ran out',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'overflow', data: { at: ' at crashme+0xa637', depth: expect.stringMatching(/^; \d+ of its \d+ frames return to crashme\+0xa6a7: recursion$/) } });
        const rec = finding.evidence.find((e) => e.kind === 'frames' && /recursion/.test(e.note));
        expect(rec && rec.kind === 'frames' ? rec.frames.length : 0).toBe(64);
      },
    },
    { fixture: 'dumps/stack-overflow.dmp', confidence: 'certain', why: 'real Wine dump' },
    {
      fixture: 'windbg/stack-overflow-email-quoted.txt',
      confidence: 'certain',
      why: 'WinDbg output quoted in an e-mail',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'overflow',
          data: { at: ' at ntdll!RtlpAllocateHeapInternal+0x4a', depth: '; 3 of its 10 frames return to ReportSvc!TemplateExpander::ExpandNode+0x112: recursion' },
        }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation far from the stack pointer' },
    { fixture: 'corpus/breakpad/read_av_non_null.dmp', why: 'a wild read, not at the stack' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a C++ exception' },
  ],
});
