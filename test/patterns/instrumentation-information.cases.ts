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
    {
      fixture: 'windbg/real/05-msdocs-pageheap-verifier-stop-x86.txt',
      confidence: 'certain',
      why: 'real (Microsoft docs, page heap example): "VERIFIER STOP 00000008: … corrupted suffix pattern" — only the page heap Application Verifier runs writes that stop',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'stop', data: { what: 'an Application Verifier stop (page heap checks)', stopText: ': VERIFIER STOP 00000008: corrupted suffix pattern' } });
        expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'field', path: 'annotations.VERIFIER_STOP' })]);
      },
    },
    {
      fixture: 'windbg/real/06-msdocs-pageheap-full-av-x86.txt',
      confidence: 'certain',
      why: 'real (the same page, full page heap): "Page heap: process 0x5BC created heap @ …" lines before the access violation',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'stop', data: { what: 'page heap', stopText: '' } });
        expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'field', path: 'annotations.PAGE_HEAP' })]);
      },
    },
    {
      fixture: 'windbg/real/17-gh-mono-18827-cs-wait-no-hash-header-x64.txt',
      confidence: 'certain',
      why: 'real (mono issue 18827): no lm, but ~13 enters a critical section from verifier!AVrfpInitializeCriticalSectionCommon — the debugger names a frame only by a loaded module, so Application Verifier was loaded',
      check: (finding) => {
        expect(finding).toMatchObject({ messageId: 'verifier', data: { modules: 'verifier', stop: '' } });
        expect(finding.evidence).toEqual([expect.objectContaining({ kind: 'frames', frames: [6] })]);
      },
    },
  ],
  silent: [
    { fixture: 'dumps/last-error-collection.dmp', why: 'a full dump whose PEB says no flags (0): known, and off' },
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'a small dump: no PEB, so nothing is known either way' },
    { fixture: 'windbg/x86-heap-corruption-kv.txt', why: 'heap corruption without any instrumentation in the output' },
  ],
});
