import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    { fixture: 'dumps/multiple-exceptions.dmp', images: [...WINE_IMAGES, 'dumps/multiple-exceptions.exe'], confidence: 'possible', why: "the second thread's exception is not the stored one" },
    {
      fixture: 'windbg/hidden-exception-manual-dump.txt',
      confidence: 'possible',
      why: 'a manual dump whose only stored exception is the debugger\'s break-in',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'hidden',
          data: { subject: 'Thread ~1 (id 0xbd4)', why: 'an exception being processed, though the dump records none', from: ', from Scanner!ScanEngine::ProcessBlock+0x4c' },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', threadId: 0xbd4, frames: [14] }));
      },
    },
    {
      fixture: 'windbg/multiple-exceptions-wer-x64.txt',
      confidence: 'possible',
      why: 'a throw on a thread other than the stored exception\'s',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'hidden', data: { subject: 'Thread ~9 (id 0xc7c)' } }),
    },
    {
      fixture: 'windbg/nested-exceptions-filter-x86.txt',
      confidence: 'possible',
      why: 'the first of two nested exceptions, below the stored one',
      check: (finding) =>
        expect(finding).toMatchObject({
          messageId: 'hidden',
          data: { why: 'an earlier exception under the stored one, still being dispatched when it happened', from: ', from Billing!Invoice::Total+0x33' },
        }),
    },
  ],
  silent: [
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'the only exception processing is the stored exception\'s' },
    { fixture: 'windbg/invalid-handle-double-close.txt', why: 'the stored exception\'s own raise path only' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'nothing but the stored fault' },
  ],
});
