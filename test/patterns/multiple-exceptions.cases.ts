import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    { fixture: 'dumps/multiple-exceptions.dmp', images: [...WINE_IMAGES, 'dumps/multiple-exceptions.exe'], confidence: 'certain', why: "two threads fault under Wine; Wine's DLLs supplied as images" },
    {
      fixture: 'windbg/multiple-exceptions-wer-x64.txt',
      confidence: 'certain',
      why: 'an access violation on ~7 and a C++ throw on ~9, both in error reporting',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'several', data: { count: 2 } });
        expect(finding.data['threads']).toMatch(/^thread ~7 \(id 0x2b6c\), thread ~9 \(id 0xc7c\)/);
        const threads = new Set(finding.evidence.flatMap((e) => (e.kind === 'frames' ? [e.threadId] : [])));
        expect([...threads].sort((a, b) => a - b)).toEqual([0xc7c, 0x2b6c]);
      },
    },
  ],
  silent: [
    { fixture: 'windbg/hidden-exception-manual-dump.txt', why: 'one exception; the stored breakpoint is the debugger\'s break-in' },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'one exception, on one thread' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a single-threaded crash' },
  ],
});
