import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/last-error-collection.dmp',
      confidence: 'certain',
      why: "real Wine dump (full memory): five workers' TEB.LastErrorValue 2, 3, 6, 8 and 10061",
      check: (finding, report) => {
        expect(report.threads.map((t) => t.lastError)).toEqual([0, 2, 3, 6, 8, 10061]);
        expect(finding).toMatchObject({ messageId: 'errors', data: { count: 5, total: 6 } });
        expect(finding.data['list']).toContain('2 (ERROR_FILE_NOT_FOUND)');
        expect(finding.data['list']).toContain('10061 (WSAECONNREFUSED)');
        expect(finding.evidence).toHaveLength(5);
      },
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a small Wine dump holds no TEB: unknown, not zero' },
    { fixture: 'dumps/deadlock-critical-sections-full.dmp', why: 'TEBs in the dump, every last error 0' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'debugger output without !gle' },
  ],
});
