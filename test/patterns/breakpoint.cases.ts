import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/breakpoint.dmp',
      confidence: 'certain',
      why: 'real Wine dump: int 3 in the program',
      check: (finding) => expect(finding.summary).toMatch(/breakpoint instruction \(int 3\) at breakpoint\+0x/),
    },
    {
      fixture: 'windbg/breakpoint-debugbreak.txt',
      confidence: 'certain',
      why: 'DebugBreak() left in shipped code',
      check: (finding) => {
        expect(finding.summary).toMatch(/in DebugBreak, called from Licensing!LicenseCheck::Verify\+0x94/);
        expect(finding.evidence.filter((e) => e.kind === 'frames').flatMap((e) => (e.kind === 'frames' ? e.frames : []))).toEqual([0, 1]);
      },
    },
  ],
  silent: [
    { fixture: 'windbg/hidden-exception-manual-dump.txt', why: 'the debugger\'s own break-in (DbgUiRemoteBreakin)' },
    { fixture: 'dumps/manual-dump.dmp', why: 'a dump taken on request, with no exception' },
    { fixture: 'dumps/null-code.dmp', why: 'an access violation' },
  ],
});
