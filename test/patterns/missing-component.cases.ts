import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/missing-component.dmp',
      confidence: 'certain',
      why: "real Wine dump: mingw-w64's delay-load helper raises 0xc06d007e for scanner.dll, which is not installed",
      check: (finding, report) => {
        expect(report.exception?.delayLoad).toEqual({ dll: 'scanner.dll', procedure: 'scanner_open', ordinal: null, lastError: 126 });
        expect(finding).toMatchObject({ messageId: 'missing', data: { dll: 'scanner.dll', procedure: 'scanner_open' } });
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'exception.delayLoad' }));
      },
    },
  ],
  silent: [
    { fixture: 'dumps/invalid-parameter-runtime-function.dmp', why: 'another exception raised with RaiseException' },
    { fixture: 'dumps/cpp-exception.dmp', why: "a C++ throw (GCC's code), not a delay-load failure" },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', why: 'a C++ exception in debugger output' },
  ],
});
