import { expect } from 'vitest';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';
import { contextX86 } from '../synth/context-writers.ts';
import { MinidumpBuilder } from '../synth/minidump-builder.ts';

/**
 * An x86 process that returned into "AAAA": the execute fault at 0x41414141 as Windows' dbghelp
 * stores it (test-data builder; Wine here runs no 32-bit programs). The stack above holds the
 * rest of the string.
 */
function x86ReturnIntoText(): Uint8Array {
  const esp = 0x0019fe40;
  const stack = new Uint8Array(0x100).fill(0x41);
  const ctx = contextX86({ eip: 0x41414141, esp, ebp: 0x41414141 });
  return new MinidumpBuilder()
    .systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19045, productType: 1 })
    .module({ name: 'C:\\Program Files (x86)\\Greeter\\Greeter.exe', base: 0x400000, size: 0x20000 })
    .thread({ id: 0x1f2c, stack: { address: esp, bytes: stack }, context: ctx })
    .exception({ threadId: 0x1f2c, code: 0xc0000005, address: 0x41414141, parameters: [8, 0x41414141], context: ctx })
    .build().bytes;
}

export default defineCases({
  fire: [
    {
      fixture: 'dumps/local-buffer-overflow.dmp',
      confidence: 'likely',
      why: 'real Wine dump: the ret of format_greeting faults on a return address made of the name it copied',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'textReturn', data: { address: '0x6968542065687420', text: ' the Thi' } }),
    },
    {
      fixture: 'dumps/local-buffer-overflow.dmp',
      images: [...WINE_IMAGES, 'dumps/local-buffer-overflow.exe'],
      confidence: 'likely',
      why: 'the same with the exe beside it',
    },
    {
      fixture: 'windbg/self-diagnosis-gs-cookie.txt',
      confidence: 'certain',
      why: 'a /GS cookie check failed (FAST_FAIL_STACK_COOKIE_CHECK_FAILURE) in __report_gsfailure',
      check: (finding) => expect(finding).toMatchObject({ messageId: 'cookie', data: { how: 'FAST_FAIL_STACK_COOKIE_CHECK_FAILURE' } }),
    },
    {
      bytes: x86ReturnIntoText,
      name: 'synthetic-x86-return-into-aaaa.dmp',
      confidence: 'likely',
      why: "test-data builder, Windows' x86 layout: an execute fault at 0x41414141",
      check: (finding) => expect(finding.data).toMatchObject({ address: '0x41414141', text: 'AAAA' }),
    },
  ],
  silent: [
    { fixture: 'dumps/self-diagnosis-fail-fast.dmp', why: 'fail-fast with FAST_FAIL_INVALID_ARG' },
    { fixture: 'corpus/breakpad/tiny-exe-fastfail.dmp', why: 'fail-fast with FAST_FAIL_FATAL_APP_EXIT (an abort)' },
    { fixture: 'windbg/real/18-gh-dotnet-runtime-112238-c0000409-failfast-exr.txt', why: "real log: 0xc0000409 with sub-code 0x48, the runtime's fail-fast, not a cookie" },
    { fixture: 'dumps/wild-pointer-data.dmp', why: 'a read through a garbage pointer' },
    { fixture: 'dumps/dynamic-memory-corruption.dmp', why: 'a non-canonical read inside the heap: its caller is a real return address' },
    { fixture: 'corpus/breakpad/write_av_non_canonical.dmp', why: 'a non-canonical write' },
  ],
});
