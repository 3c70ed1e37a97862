import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { createModuleIndex } from '../../../src/engine/unwind/module-index.ts';
import { frameText } from '../../../src/engine/core/frame-text.ts';
import { callSiteOf, nameAddress } from '../../../src/engine/unwind/symbolize.ts';
const formatAddressName = (n: Parameters<typeof callSiteOf>[0], ip: bigint): string => frameText(callSiteOf(n, ip));
import { shortModuleName } from '../../../src/engine/names/module-names.ts';
import { SyntheticAddressSpace } from '../../synth/memory-space.ts';
import { buildPe, flatImage } from '../../synth/pe-builder.ts';

const BASE = 0x7ffa_0000_0000n;

function image() {
  return buildPe({
    machine: 'amd64',
    imageBase: BASE,
    timestamp: 0x5f000000,
    text: { size: 0x200, chunks: [{ offset: 0, bytes: new Uint8Array(0x200).fill(0xcc) }] },
    pdata: [{ begin: 0x1000, end: 0x1010, unwind: { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x28 }] } }],
    exports: {
      dllName: 'KERNEL32.dll',
      functions: [
        { name: 'BaseThreadInitThunk', rva: 0x1000 },
        { name: 'Sleep', rva: 0x1100 },
      ],
    },
  });
}

describe('WinDbg short module names', () => {
  it('strips the directory and the extension and keeps the case', () => {
    expect(shortModuleName('C:\\Windows\\System32\\KERNELBASE.dll')).toBe('KERNELBASE');
    expect(shortModuleName('C:\\Windows\\SysWOW64\\ntdll.dll')).toBe('ntdll');
    expect(shortModuleName('/usr/lib/libc.so.6')).toBe('libc_so');
    expect(shortModuleName('api-ms-win-core-synch-l1-2-0.dll')).toBe('api_ms_win_core_synch_l1_2_0');
    expect(shortModuleName('C:\\Program Files\\My App\\my.app-core.dll')).toBe('my_app_core');
    expect(shortModuleName('noext')).toBe('noext');
  });
});

describe('naming addresses', () => {
  it('uses the nearest export when the image is in the dump, else the module base', async () => {
    const img = image();
    const memory = new SyntheticAddressSpace().add(BASE, flatImage(img));
    const index = createModuleIndex(
      [
        { name: 'C:\\Windows\\System32\\kernel32.dll', base: BASE, size: BigInt(img.sizeOfImage) },
        { name: 'C:\\Windows\\System32\\ntdll.dll', base: 0x7ffb_0000_0000n, size: 0x1f0000n },
      ],
      memory,
    );
    const a = await nameAddress(BASE + 0x1014n, index);
    expect(a).toEqual({ module: 'kernel32', symbol: 'BaseThreadInitThunk', offset: 0x14n, source: null, inline: false });
    expect(formatAddressName(a, BASE + 0x1014n)).toBe('kernel32!BaseThreadInitThunk+0x14');
    expect(formatAddressName(await nameAddress(BASE + 0x1100n, index), BASE + 0x1100n)).toBe('kernel32!Sleep');
    const b = await nameAddress(0x7ffb_0003_9882n, index);
    expect(b).toEqual({ module: 'ntdll', symbol: null, offset: 0x39882n, source: null, inline: false });
    expect(formatAddressName(b, 0x7ffb_0003_9882n)).toBe('ntdll+0x39882');
    const c = await nameAddress(0x1234n, index);
    expect(c).toEqual({ module: null, symbol: null, offset: null, source: null, inline: false });
    expect(formatAddressName(c, 0x1234n)).toBe('0x1234');
    // Before the first export: the module base it is.
    expect(await nameAddress(BASE + 0x200n, index)).toEqual({ module: 'kernel32', symbol: null, offset: 0x200n, source: null, inline: false });
  });

  it('uses a supplied module file, and refuses one that does not match the loaded module', async () => {
    const img = image();
    const memory = new SyntheticAddressSpace(); // a minidump without module memory
    const file = new Uint8ArraySource(img.file, 'KERNEL32.DLL');
    const good = createModuleIndex([{ name: 'C:\\Windows\\System32\\kernel32.dll', base: BASE, size: BigInt(img.sizeOfImage), timestamp: 0x5f000000 }], memory, [file]);
    expect(await nameAddress(BASE + 0x1104n, good)).toEqual({ module: 'kernel32', symbol: 'Sleep', offset: 4n, source: null, inline: false });
    expect(good.warnings).toEqual([]);
    const wrongSize = createModuleIndex([{ name: 'kernel32.dll', base: BASE, size: 0x99000n }], memory, [file]);
    expect(await nameAddress(BASE + 0x1104n, wrongSize)).toEqual({ module: 'kernel32', symbol: null, offset: 0x1104n, source: null, inline: false });
    expect(wrongSize.warnings[0]).toMatchObject({ kind: 'image-mismatch', message: expect.stringMatching(/size differs/) });
    const wrongStamp = createModuleIndex([{ name: 'kernel32.dll', base: BASE, size: BigInt(img.sizeOfImage), timestamp: 0x12345678 }], memory, [file]);
    expect((await wrongStamp.moduleAt(BASE)!.image())).toBeNull();
    expect(wrongStamp.warnings[0]?.message).toMatch(/timestamp differs/);
  });

  it('finds modules by binary search and ignores empty ones', () => {
    const index = createModuleIndex(
      [
        { name: 'c.dll', base: 0x30000n, size: 0x1000n },
        { name: 'a.dll', base: 0x10000n, size: 0x1000n },
        { name: 'empty.dll', base: 0x20000n, size: 0n },
        { name: 'b.dll', base: 0x20000n, size: 0x800n },
      ],
      new SyntheticAddressSpace(),
    );
    expect(index.moduleAt(0x10fffn)?.name).toBe('a.dll');
    expect(index.moduleAt(0x11000n)).toBeNull();
    expect(index.moduleAt(0x20400n)?.name).toBe('b.dll');
    expect(index.moduleAt(0x30000n)?.name).toBe('c.dll');
    expect(index.moduleAt(0xfffn)).toBeNull();
    expect(index.modules.map((m) => m.name)).toEqual(['a.dll', 'b.dll', 'c.dll']);
  });
});
