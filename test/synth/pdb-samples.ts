// A small PDB description with one of everything a lookup meets — a module without symbols
// (publics only), procedures with lines in two files, nested inline sites (a free function, a
// member function qualified by its class, a namespace function), an S_BLOCK32 around an inline
// site, a local procedure, several modules found through section
// contributions, and publics in two sections — for the reader's tests, the fuzzer and the
// cross-check with llvm-symbolizer. Addresses are section 1 (.text at RVA 0x1000) offsets.
import type { PdbSpec } from './pdb-builder.ts';

export const SAMPLE_TEXT_RVA = 0x1000;

export function samplePdbSpec(): PdbSpec {
  return {
    age: 3,
    sections: [
      { name: '.text', rva: 0x1000, size: 0x3000 },
      { name: '.rdata', rva: 0x4000, size: 0x1000, characteristics: 0x40000040 },
    ],
    modules: [
      { name: 'C:\\lib\\crt.o', noSymbols: true, contributions: [{ section: 1, offset: 0, size: 0x100 }] },
      {
        name: 'C:\\build\\app.obj',
        files: ['C:\\src\\app.c', 'C:\\src\\util.h'],
        procs: [
          {
            name: 'main',
            section: 1,
            offset: 0x100,
            size: 0x60,
            locals: 4,
            lines: [
              { offset: 0, line: 10 },
              { offset: 0x10, line: 11 },
              { offset: 0x20, line: 12 },
              { offset: 0x40, line: 13 },
              { offset: 0x50, line: 14 },
            ],
            inlines: [
              {
                callee: 'helper',
                startLine: 5,
                file: 1,
                ranges: [
                  { start: 0x20, length: 8, line: 6 },
                  { start: 0x30, length: 8, line: 7 },
                ],
                inlines: [{ callee: 'put', className: 'shop::Ledger', startLine: 20, file: 1, ranges: [{ start: 0x22, length: 4, line: 21 }] }],
              },
              { callee: 'helper', startLine: 5, file: 1, ranges: [{ start: 0x44, length: 6, line: 8 }] },
            ],
          },
          {
            name: 'process',
            kind: 'lproc',
            section: 1,
            offset: 0x160,
            size: 0x40,
            block: true,
            lines: [
              { offset: 0, line: 30 },
              { offset: 0x8, line: 31 },
              { offset: 0x20, line: 33 },
            ],
            inlines: [{ callee: 'tax', scope: 'shop', startLine: 40, ranges: [{ start: 0x8, length: 0x10, line: 41 }] }],
          },
        ],
      },
      {
        name: 'C:\\build\\other.obj',
        files: ['C:\\src\\other.c'],
        procs: [{ name: 'other_fn', kind: 'lproc', section: 1, offset: 0x200, size: 0x30, lines: [{ offset: 0, line: 3 }, { offset: 0x18, line: 4 }] }],
      },
    ],
    publics: [
      { name: 'mainCRTStartup', section: 1, offset: 0x0, function: true },
      { name: '__crt_helper', section: 1, offset: 0x80, function: true },
      { name: 'main', section: 1, offset: 0x100, function: true },
      { name: 'other_fn', section: 1, offset: 0x200, function: true },
      { name: 'g_table', section: 2, offset: 0x10 },
    ],
  };
}
