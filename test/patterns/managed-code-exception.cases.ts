import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { contextAmd64 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

const KERNELBASE = 0x7ffd4cce0000n;
const CORECLR = 0x7ffd2a1a0000n;
const TID = 0x2230;

/**
 * An unhandled .NET exception in Windows' x64 layout, by the test-data builder: Wine runs no
 * .NET runtime and the public corpus holds no managed dump (fixtures/programs/WINE-NOTES.md,
 * item 19). The record is the runtime's: 0xE0434352, non-continuable, five parameters, the
 * HRESULT first and coreclr.dll's base last.
 */
function clrException(withRuntime: boolean, comment?: string): Uint8Array {
  const rip = KERNELBASE + 0x3567cn;
  const rsp = 0xc85e3fe1d0n;
  const ctx = contextAmd64({ rip, rsp });
  const b = new MinidumpBuilder()
    .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 20348, productType: 3 })
    .module({ name: 'C:\\Services\\OrderService\\OrderService.exe', base: 0x7ff641a80000n, size: 0x28000 })
    .module({ name: 'C:\\Windows\\System32\\KERNELBASE.dll', base: KERNELBASE, size: 0x3b6000 });
  if (withRuntime) b.module({ name: 'C:\\Program Files\\dotnet\\shared\\Microsoft.NETCore.App\\8.0.4\\coreclr.dll', base: CORECLR, size: 0x513000 });
  if (comment) b.commentA(comment);
  return b
    .thread({ id: TID, stack: { address: rsp, bytes: new Uint8Array(0x200) }, context: ctx })
    .exception({ threadId: TID, code: 0xe0434352, flags: 1, address: rip, parameters: [0x80131509n, 0n, 0n, 0n, CORECLR], context: ctx })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'windbg/managed-code-exception.txt',
      confidence: 'certain',
      why: 'hand-written log (no public one): e0434352 through coreclr!IL_Throw, HRESULT 80004003',
      check: (finding) =>
        expect(finding.data).toMatchObject({ code: '0xe0434352', type: '; HRESULT 0x80004003, by default System.NullReferenceException (E_POINTER)', runtime: '; runtime coreclr' }),
    },
    {
      bytes: () => clrException(true),
      name: 'synthetic-coreclr-exception.dmp',
      confidence: 'certain',
      why: "test-data builder, Windows' layout: the runtime's record with coreclr.dll loaded",
      check: (finding) => {
        expect(finding.data['type']).toBe('; HRESULT 0x80131509, by default System.InvalidOperationException (COR_E_INVALIDOPERATION)');
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'module', name: 'coreclr.dll' }));
      },
    },
    {
      bytes: () => clrException(false),
      name: 'synthetic-clr-code-without-runtime.dmp',
      confidence: 'likely',
      why: 'the same code with no .NET runtime in the module list: a convention another program could imitate',
      check: (finding) => expect(finding.data['runtime']).toBe('; no .NET runtime module in the module list or on the stack'),
    },
    {
      fixture: 'windbg/variants/session-commands-x64.txt',
      confidence: 'certain',
      why: 'a CDB session with no lm: the runtime shows in the frames (coreclr!IL_Throw)',
      check: (finding) => expect(finding.data['runtime']).toBe('; runtime coreclr (on the stack)'),
    },
    {
      bytes: () => clrException(true, '\r\n*** procdump.exe -accepteula -ma -e 1 OrderService.exe\r\n*** First chance exception: E0434352.CLR\r\n'),
      name: 'synthetic-clr-first-chance.dmp',
      confidence: 'likely',
      why: 'the same dumped by procdump -e 1 at its first chance: thrown, not yet unhandled',
      check: (finding) => expect(finding.messageId).toBe('thrown'),
    },
  ],
  silent: [
    {
      fixture: 'windbg/real/13-gh-dotnet-runtime-110837-coreclr-null-0x10-x64.txt',
      // coreclr's frames are on the stack, but what they show is the runtime's own native code
      // reading [rdx+10h] with rdx NULL (a bug in coreclr, Null Pointer (data)); no
      // E0434352 record and no managed throw: nothing of a .NET exception is in the text.
      why: 'real (dotnet/runtime issue 110837): a native NULL read inside coreclr!LoaderAllocator::SetHandleValue, not a managed exception',
    },
    { fixture: 'windbg/variants/managed-unloaded-frames.txt', why: 'a .NET service with coreclr loaded, but the crash is an access violation in an unloaded native DLL' },
    { fixture: 'dumps/cpp-exception.dmp', why: 'a C++ throw' },
    { fixture: 'dumps/cpp-exception-msvc-record.dmp', why: "MSVC's C++ exception code, not the CLR's" },
  ],
});
