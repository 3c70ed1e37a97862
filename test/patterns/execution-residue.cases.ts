import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/execution-residue-full.dmp',
      confidence: 'likely',
      why: "real Wine full-memory dump: the exe's code is in it, so the stale return addresses into compress_section and export_summary are checked without images",
      check: (finding, report) => {
        expect(finding.data['names']).toMatch(/execution_residue_full\+0x1841 \(at 0x[0-9a-f]+\)/);
        expect(finding.data['names']).toMatch(/execution_residue_full\+0x1871 \(at 0x[0-9a-f]+\)/);
        // the live frames' own return addresses are never residue
        const live = new Set(report.threads[0]!.frames.map((f) => f.address));
        expect(report.residue![0]!.entries.every((e) => !live.has(e.address))).toBe(true);
      },
    },
    {
      fixture: 'dumps/execution-residue.dmp',
      images: [...WINE_IMAGES, 'dumps/execution-residue.exe'],
      confidence: 'likely',
      why: 'real Wine minidump with its exe beside it: read_manifest, scan_directory and load_plugins ran before the crash',
      check: (finding) => {
        // read_manifest+0x33, scan_directory+0x33, load_plugins+0x23 (fixtures/dumps/README.md)
        for (const at of ['0x18e0', '0x1925', '0x195a']) expect(finding.data['names']).toContain(`execution_residue+${at}`);
        expect(Number(finding.data['functions'])).toBeGreaterThanOrEqual(3);
      },
    },
    {
      fixture: 'dumps/wild-pointer-data.dmp',
      images: ['dumps/wild-pointer-data.exe'],
      confidence: 'possible',
      why: 'one stale return address of the program (its CRT start code): possible only, and said in the singular',
      check: (finding) => {
        expect(finding.data['functions']).toBe(1);
        expect(finding.summary).toContain(' holds 1 return address of calls that already returned (1 function not on the live stack): wild_pointer_data+0x14f9 (at 0x');
      },
    },
  ],
  silent: [
    { fixture: 'dumps/execution-residue.dmp', why: 'the same dump without its exe: no code to check a CALL before each value, so nothing is residue' },
    { fixture: 'dumps/null-pointer-data-read.dmp', images: [...WINE_IMAGES, 'dumps/null-pointer-data-read.exe'], why: "only the operating system's own residue (thread start) is on its stack" },
    { fixture: 'dumps/manual-dump.dmp', why: 'no exception: no faulting thread to read' },
    { fixture: 'windbg/x64-access-violation.txt', why: 'debugger text has no raw stack' },
  ],
});
