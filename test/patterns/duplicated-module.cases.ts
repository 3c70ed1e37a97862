import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/duplicated-module.dmp',
      confidence: 'certain',
      why: 'real Wine dump: plugin.dll from two folders, same size and timestamp',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'duplicated', data: { module: 'plugin.dll', times: 2 } });
        expect(finding.data['places']).toContain('C:\\dumpatlas\\plugins\\v2\\plugin.dll');
        expect(finding.evidence.filter((e) => e.kind === 'module')).toHaveLength(2);
      },
    },
  ],
  silent: [
    { fixture: 'synth/wow64-seed-like.dmp', why: 'a WOW64 process: the 32-bit system DLLs beside their 64-bit namesakes' },
    { fixture: 'windbg/virtualized-process-seed.txt', why: 'the same in debugger output (ntdll and ntdll_7d600000)' },
    { fixture: 'dumps/fault-in-dll.dmp', why: 'one copy of each DLL' },
  ],
});
