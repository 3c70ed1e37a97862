import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/hooked-functions.dmp',
      images: ['dumps/hooked-functions.exe'],
      confidence: 'certain',
      why: 'real Wine dump with the program file beside it: check_license overwritten with mov rax, license_hook; jmp rax',
      check: (finding, report) => {
        expect(report.codeIntegrity?.patches).toEqual([
          expect.objectContaining({
            basis: 'module file',
            address: '0x140001805',
            length: 12,
            found: '48 b8 7e 18 00 40 01 00 00 00 ff e0',
            expected: '55 48 89 e5 48 83 ec 10 48 89 4d 10',
            jumpTarget: '0x14000187e',
          }),
        ]);
        expect(finding).toMatchObject({ messageId: 'hooked', data: { jumps: 1 } });
        expect(finding.data['list']).toBe('hooked_functions+0x1805 jumps to hooked_functions+0x187e');
        // the crash is in the hook: frame 0 is marked
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'frames', frames: [0] }));
      },
    },
    {
      fixture: 'dumps/hooked-functions.dmp',
      confidence: 'likely',
      why: "the same dump alone: the function's first bytes contradict its unwind codes (push rbp expected)",
      check: (finding, report) => {
        expect(report.codeIntegrity?.patches).toEqual([expect.objectContaining({ basis: 'unwind info', address: '0x140001805', expected: '55', jumpTarget: '0x14000187e' })]);
        expect(report.codeIntegrity?.prologsChecked).toBeGreaterThan(50);
      },
    },
  ],
  silent: [
    { fixture: 'dumps/last-error-collection.dmp', images: ['dumps/last-error-collection.exe'], why: 'a full dump whose code matches its file byte for byte' },
    { fixture: 'dumps/self-dump.dmp', images: [...WINE_IMAGES, 'dumps/self-dump.exe'], why: "the prologs of a full dump's functions all match their unwind codes" },
    { fixture: 'dumps/null-pointer-data-read.dmp', images: ['dumps/null-pointer-data-read.exe'], why: 'a small dump: the code around the fault matches the file' },
  ],
});
