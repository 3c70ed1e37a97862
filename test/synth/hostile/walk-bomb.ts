// Finding F1 of the hostile-input probe (issue 15): a walk that names a frame in every module,
// where every module is one export bomb. Two ways in:
//  - walkBombDump: M modules whose MemoryList descriptors all alias one copy of the image in
//    the file; one x86 thread whose EBP chain returns into module k at frame k (a call sits
//    before every return address, so each frame passes the call-site check).
//  - walkBombImages: M modules all named evil.dll and no image in the dump; the image comes
//    from one evil.dll given with --images, and a stack of return addresses into every module.
// The probe's full size: 256 modules, 65,536 forwarded exports named by one 1,023-byte string.
import { contextAmd64, contextX86 } from '../context-writers.ts';
import { MinidumpBuilder } from '../minidump-builder.ts';
import { AliasedDump } from './aliased-dump.ts';
import { exportBombImage, RETURN_RVA_AMD64, RETURN_RVA_X86, type ExportBombOptions } from './export-bomb-image.ts';

export interface WalkBombOptions extends Omit<ExportBombOptions, 'machine' | 'code'> {
  /** Modules, each a frame of the walk (the walkers stop at 256 frames). Default 256. */
  modules?: number;
  /** Threads walking the same chain, each from its own stack. Default 1. */
  threads?: number;
}

export const FULL_WALK_BOMB = { modules: 256, threads: 1, functions: 65_536, nameLength: 1023 } as const;

/** Module k's base: 1 MiB apart, or further when the image is larger. */
function bases(count: number, imageSize: number, first: bigint): bigint[] {
  const stride = BigInt(Math.ceil(imageSize / 0x100000) * 0x100000);
  return Array.from({ length: count }, (_, k) => first + BigInt(k) * stride);
}

export function walkBombDump(options: WalkBombOptions = {}): Uint8Array {
  const modules = options.modules ?? FULL_WALK_BOMB.modules;
  const threads = options.threads ?? 1;
  const image = exportBombImage({ ...options, machine: 'x86' });
  const d = new AliasedDump();
  d.builder.systemInfo({ arch: 'x86', major: 10, minor: 0, build: 19041 });
  const base = bases(modules, image.sizeOfImage, 0x10000000n);
  const imageBlob = d.blob(image.mapped);
  base.forEach((b, k) => {
    d.builder.module({ name: `C:\\evil\\m${k}.dll`, base: b, size: image.sizeOfImage });
    d.map(b, imageBlob);
  });
  for (let t = 0; t < threads; t++) {
    const sp = 0x00800000 + t * Math.max(0x10000, (modules + 2) * 8);
    // Frame k: [ebp] = the next frame's ebp, [ebp+4] = a return address into module k+1.
    const stack = new Uint8Array(modules * 8 + 16);
    const v = new DataView(stack.buffer);
    for (let k = 0; k < modules; k++) {
      v.setUint32(8 * k, sp + 8 * (k + 1), true);
      v.setUint32(8 * k + 4, Number(base[(k + 1) % modules]!) + RETURN_RVA_X86, true);
    }
    d.thread(
      { id: t + 1, context: contextX86({ eip: Number(base[0]!) + RETURN_RVA_X86, esp: sp, ebp: sp }) },
      { address: sp, bytes: stack },
    );
  }
  return d.build().bytes;
}

export interface WalkBombImages {
  dump: Uint8Array;
  /** The one module file every module of the dump is named after. */
  image: { name: string; bytes: Uint8Array };
}

/**
 * The --images variant: the dump holds no image, only modules named evil.dll of the image's
 * size, and an AMD64 stack of return addresses into each of them in turn for the scan to find.
 */
export function walkBombImages(options: WalkBombOptions = {}): WalkBombImages {
  const modules = options.modules ?? FULL_WALK_BOMB.modules;
  const image = exportBombImage({ ...options, machine: 'amd64' });
  const b = new MinidumpBuilder();
  b.systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19041 });
  const base = bases(modules, image.sizeOfImage, 0x7ff800000000n);
  for (const m of base) b.module({ name: 'C:\\x\\evil.dll', base: m, size: image.sizeOfImage });
  const sp = 0x100000n;
  const words = 2048;
  const stack = new Uint8Array(words * 8);
  const v = new DataView(stack.buffer);
  for (let k = 0; k < words; k++) v.setBigUint64(8 * k, base[(k + 1) % modules]! + BigInt(RETURN_RVA_AMD64), true);
  const context = contextAmd64({ rip: base[0]! + 0x1050n, rsp: sp, rbp: sp });
  b.thread({ id: 1, stack: { address: sp, bytes: stack }, context });
  b.exception({ threadId: 1, code: 0xc0000005, address: base[0]! + 0x1050n, parameters: [0, 0], context });
  return { dump: b.build().bytes, image: { name: 'evil.dll', bytes: image.file } };
}
