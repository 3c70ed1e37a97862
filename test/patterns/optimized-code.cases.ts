import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'windbg/optimized-code-fpo.txt',
      confidence: 'possible',
      why: 'kv: no FPO data for a release-build codec',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'framePointerLost', data: { modules: 'imgcodec', threads: '1 thread', first: '~0 (id 0x1b8c)', frame: 'imgcodec+0x2f3b' } });
        expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'frames', view: 'native', frames: [1, 2] })]);
      },
    },
    {
      fixture: 'windbg/virtualized-process-seed.txt',
      confidence: 'possible',
      why: 'the seed: the x86 view of a WOW64 thread in App without unwind data',
      check: (finding) => expect(finding.evidence).toContainEqual(expect.objectContaining({ threadId: 0x1160, view: 'x86', frames: [1, 2] })),
    },
    { fixture: 'windbg/x86-heap-corruption-kv.txt', confidence: 'possible', why: 'kv with FPO columns and the warning' },
  ],
  silent: [
    { fixture: 'windbg/x64-access-violation.txt', why: 'x64 unwinds from tables' },
    { fixture: 'windbg/x86-access-violation-kb.txt', why: 'x86 with full symbols: the EBP chain holds' },
    { fixture: 'corpus/breakpad/minidump2.dmp', why: 'x86 minidump walked by frame pointers all the way' },
  ],
});
