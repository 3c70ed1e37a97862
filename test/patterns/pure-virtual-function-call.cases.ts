import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/pure-virtual-function-call.dmp',
      confidence: 'certain',
      why: "real Wine dump: an MSVC-ABI vtable's _purecall (ucrtbase) called the handler, which recorded it as Breakpad does",
      check: (finding, report) => {
        expect(finding.messageId).toBe('reported');
        expect(report.annotations['ASSERTION_KIND']).toBe('pure-virtual-call');
      },
    },
    {
      fixture: 'dumps/pure-virtual-function-call.dmp',
      images: [...WINE_IMAGES, 'wine-images/ucrtbase.dll', 'dumps/pure-virtual-function-call.exe'],
      confidence: 'certain',
      why: "the same with ucrtbase.dll beside it: ucrtbase's _purecall named on the stack, called from Shape::describe",
      check: (finding) => {
        expect(finding.data['handler']).toMatch(/^, through ucrtbase!_o__purecall\+0x1b$/);
        expect(finding.data['caller']).toMatch(/^, called from pure_virtual_function_call\+0x[0-9a-f]+$/);
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', frames: [1] }));
      },
    },
    {
      fixture: 'windbg/pure-virtual-function-call.txt',
      confidence: 'certain',
      why: 'hand-written log (MSVC cannot be run here): VCRUNTIME140!_purecall from Shape::Describe',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'purecall', data: { handler: 'VCRUNTIME140!_purecall+0x1b', caller: ', called from Canvas!Shape::Describe+0x22' } }),
    },
  ],
  silent: [
    { fixture: 'dumps/abort-pure-virtual.dmp', why: "a g++ pure virtual call in a stripped static exe: __cxa_pure_virtual is not named, only the abort shows" },
    { fixture: 'dumps/abort.dmp', why: 'a plain abort' },
    { fixture: 'dumps/null-pointer-code.dmp', why: 'a call through a NULL function pointer' },
  ],
});
