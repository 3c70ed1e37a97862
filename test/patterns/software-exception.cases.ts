import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';

export default defineCases({
  fire: [
    {
      fixture: 'dumps/cpp-exception.dmp',
      confidence: 'certain',
      why: "real Wine dump: g++'s throw code 0x20474343 carries the customer bit",
      check: (finding) => expect(finding.messageId).toBe('customer'),
    },
    {
      fixture: 'dumps/cpp-exception.dmp',
      images: [...WINE_IMAGES, 'dumps/cpp-exception.exe'],
      confidence: 'certain',
      why: "with Wine's DLLs the raise itself is named: kernelbase!RaiseException",
      check: (finding) => expect(finding.data['raiser']).toBe('kernelbase!RaiseException+0x4e'),
    },
    {
      fixture: 'dumps/insufficient-memory-committed-memory.dmp',
      images: [...WINE_IMAGES, 'dumps/insufficient-memory-committed-memory.exe'],
      confidence: 'certain',
      why: 'real Wine dump: STATUS_NO_MEMORY raised through ntdll!RtlRaiseStatus',
      check: (finding) => expect(finding.data).toMatchObject({ raiser: 'ntdll!RtlRaiseStatus+0xb' }),
    },
    {
      fixture: 'dumps/invalid-parameter-runtime-function.dmp',
      confidence: 'likely',
      why: 'without names, the code says it: only the C runtime raises 0xc0000417',
      check: (finding) => expect(finding.messageId).toBe('softwareCode'),
    },
    { fixture: 'windbg/cpp-exception-cdb-session.txt', confidence: 'certain', why: 'a C++ throw through RaiseException in a CDB session' },
    { fixture: 'windbg/managed-code-exception.txt', confidence: 'certain', why: 'a .NET throw through KERNELBASE!RaiseException' },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'the CPU faulted on a read: a hardware exception' },
    { fixture: 'dumps/divide-by-zero.dmp', why: 'a division by zero' },
    { fixture: 'dumps/breakpoint.dmp', why: 'an int 3 trap' },
    { fixture: 'dumps/self-diagnosis-fail-fast.dmp', why: 'a fail-fast trap (int 0x29)' },
    { fixture: 'dumps/dynamic-memory-corruption.dmp', why: 'an access violation inside the heap' },
  ],
});
