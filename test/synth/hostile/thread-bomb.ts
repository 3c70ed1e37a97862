// Finding F2 of the hostile-input probe (issue 15): T threads, thread i with its instruction
// pointer in module i, every module an alias of one export-bomb image. Each thread's frame 0
// is named from its own module's export table, so an engine that keeps a table per module
// holds T copies of the same one. The probe's full size: 2,000 threads.
import { contextAmd64, contextX86 } from '../context-writers.ts';
import { AliasedDump } from './aliased-dump.ts';
import { exportBombImage, type ExportBombOptions } from './export-bomb-image.ts';

export interface ThreadBombOptions extends Omit<ExportBombOptions, 'code'> {
  /** Threads, and modules (one each). Default 2,000 (the engine walks at most 2,000 threads). */
  threads?: number;
}

export const FULL_THREAD_BOMB = { threads: 2000, functions: 65_536, nameLength: 1023 } as const;

export function threadBombDump(options: ThreadBombOptions = {}): Uint8Array {
  const threads = options.threads ?? FULL_THREAD_BOMB.threads;
  const machine = options.machine ?? 'x86';
  const image = exportBombImage(options);
  const d = new AliasedDump();
  d.builder.systemInfo({ arch: machine, major: 10, minor: 0, build: 19041 });
  const blob = d.blob(image.mapped);
  const stride = BigInt(Math.ceil(image.sizeOfImage / 0x100000) * 0x100000);
  const first = machine === 'x86' ? 0x10000000n : 0x7ff800000000n;
  for (let i = 0; i < threads; i++) {
    const base = first + BigInt(i) * stride;
    d.builder.module({ name: `C:\\evil\\m${i}.dll`, base, size: image.sizeOfImage });
    d.map(base, blob);
    const pc = base + 0x1000n;
    d.thread({ id: i + 1, context: machine === 'x86' ? contextX86({ eip: pc }) : contextAmd64({ rip: pc }) });
  }
  return d.build().bytes;
}
