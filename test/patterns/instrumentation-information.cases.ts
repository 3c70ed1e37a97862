import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/instrumentation-information.dmp',
      confidence: 'certain',
      why: "real Wine dump: Image File Execution Options' GlobalFlag 0x02000000 copied into PEB.NtGlobalFlag",
      check: (finding, report) => {
        expect(report.process.ntGlobalFlag).toBe('0x2000000');
        expect(finding).toMatchObject({ messageId: 'flags', data: { flag: '0x02000000', names: 'hpa (page heap)' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'process.ntGlobalFlag' }));
      },
    },
  ],
  silent: [
    { fixture: 'dumps/last-error-collection.dmp', why: 'a full dump whose PEB says no flags (0): known, and off' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a small dump: no PEB, so nothing is known either way' },
    { fixture: 'windbg/x86-heap-corruption-kv.txt', why: 'heap corruption without any instrumentation in the output' },
  ],
});
