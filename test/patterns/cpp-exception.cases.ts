import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

/** A live session stopped on a C++ throw at first chance (sxe eh). */
const FIRST_CHANCE_THROW = [
  '(1a2c.1b30): C++ EH exception - code e06d7363 (first chance)',
  '0:000> .exr -1',
  'ExceptionAddress: 00007ffd4d2a4f39 (KERNELBASE!RaiseException+0x0000000000000069)',
  '   ExceptionCode: e06d7363 (C++ EH exception)',
  '  ExceptionFlags: 00000001',
  'NumberParameters: 4',
  '   Parameter[0]: 0000000019930520',
  '   Parameter[1]: 000000c54f2ff7c0',
  '   Parameter[2]: 00007ff61e2c5a28',
  '   Parameter[3]: 00007ff61e2a0000',
].join('\n');

export default defineCases({
  fire: [
    {
      text: FIRST_CHANCE_THROW,
      name: 'first-chance-throw.txt',
      confidence: 'likely',
      why: 'a throw the debugger stopped on at first chance: thrown, and a catch may still take it',
      check: (finding) => {
        expect(finding.messageId).toBe('thrown');
        expect(finding.data?.['fate']).toMatch(/first chance/);
      },
    },
    {
      fixture: 'dumps/cpp-exception-msvc-record.dmp',
      confidence: 'certain',
      why: 'real Wine dump: 0xe06d7363 with the EH parameters',
      check: (finding) => {
        expect(finding).toMatchObject({
          messageId: 'uncaught',
          data: { details: ': the exception object is at 0x21fcc0; its type information is in cpp-exception-msvc-record.exe', odd: '' },
        });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'module', name: 'cpp-exception-msvc-record.exe' }));
      },
    },
    {
      fixture: 'dumps/cpp-exception.dmp',
      confidence: 'certain',
      why: 'real Wine dump of a MinGW program: GCC\'s throw code 0x20474343',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'mingwUncaught', data: { subject: expect.stringMatching(/^Thread ~1 /), from: '' } }),
    },
    {
      fixture: 'windbg/cpp-exception-cdb-session.txt',
      confidence: 'certain',
      why: 'CDB session: the throw site below _CxxThrowException',
      check: (finding) =>
        expect(finding).toMatchObject({ messageId: 'uncaught', data: { details: ': thrown from PhotoTool!Exporter::WriteTile+0x1a5; the exception object is at 0x8e6ddfea40' } }),
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
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'RaiseException with an RPC error code, not a C++ throw' },
    { fixture: 'dumps/breakpoint.dmp', why: 'a breakpoint' },
  ],
});
