import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/raise-cpp-eh-code.dmp',
      confidence: 'certain',
      why: 'real Wine dump: 0xe06d7363 with the EH parameters',
      check: (finding) => {
        expect(finding.summary).toMatch(/exception object is at 0x21fcc0; its type information is in raise-cpp-eh-code\.exe/);
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'module', name: 'raise-cpp-eh-code.exe' }));
      },
    },
    {
      fixture: 'dumps/cpp-exception.dmp',
      confidence: 'certain',
      why: 'real Wine dump of a MinGW program: GCC\'s throw code 0x20474343',
      check: (finding) => expect(finding.summary).toMatch(/GCC\/MinGW/),
    },
    {
      fixture: 'windbg/cpp-exception-cdb-session.txt',
      confidence: 'certain',
      why: 'CDB session: the throw site below _CxxThrowException',
      check: (finding) => expect(finding.summary).toMatch(/thrown from PhotoTool!Exporter::WriteTile\+0x1a5/),
    },
    {
      fixture: 'windbg/multiple-exceptions-wer-x64.txt',
      confidence: 'likely',
      why: 'a throw on another thread than the stored access violation',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'throwing', data: { subject: 'Thread ~9 (id 0xc7c)', from: ' from OrderSvc!Json::Parser::Fail+0x6b' } }),
    },
  ],
  silent: [
    { fixture: 'dumps/null-data-read.dmp', why: 'an access violation' },
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'RaiseException with an RPC error code, not a C++ throw' },
    { fixture: 'dumps/breakpoint.dmp', why: 'a breakpoint' },
  ],
});
