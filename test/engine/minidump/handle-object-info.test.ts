// The HandleData stream's object information (MINIDUMP_HANDLE_OBJECT_INFORMATION chains): the
// x64 records the augmenter writes for the Wine dumps are covered by the pattern cases; here the
// 32-bit layouts, chains dbghelp never writes (a loop, an unknown type, a record of a size no
// structure has, a chain past the end of the file), which must cost at most that handle's facts.
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../src/engine/io/uint8array-source.ts';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { StreamType } from '../../../src/engine/minidump/stream-types.ts';
import { MinidumpBuilder, type MinidumpLayout } from '../../synth/minidump-builder.ts';
import { Section } from '../../synth/section.ts';

/** One MINIDUMP_HANDLE_OBJECT_INFORMATION: NextInfoRva, InfoType, SizeOfInfo, then the body. */
function record(next: number, type: number, body: Uint8Array): Uint8Array {
  return new Section().u32(next).u32(type).u32(body.length).bytes(body).toBytes();
}

async function handlesOf(w: MinidumpLayout, descriptors: { handle: number; type: number; info: number }[]) {
  const s = new Section().u32(16).u32(40).u32(descriptors.length).u32(0);
  for (const d of descriptors) s.u64(d.handle).u32(d.type).u32(0).u32(0).u32(0x1f0001).u32(1).u32(2).u32(d.info).u32(0);
  w.stream(StreamType.HandleData, s.toBytes());
  const md = await openMinidump(new Uint8ArraySource(w.finish(), 'handles.dmp'));
  return { handles: (await md.handles())!, warnings: md.warnings };
}

describe('handle object information', () => {
  it('reads the 32-bit layouts: CLIENT_ID of 8 bytes, THREAD_BASIC_INFORMATION of 28, PROCESS_BASIC_INFORMATION of 24', async () => {
    const w = MinidumpBuilder.raw();
    const mutant = w.string('Mutant');
    const thread = w.string('Thread');
    const process = w.string('Process');
    const owner = w.append(record(0, 3, new Section().u32(0x1364).u32(0xa3).toBytes()));
    const basic = w.append(record(owner, 2, new Section().u32(0xffffffff).u8(0).u8(1).u16(0).toBytes()));
    const t = w.append(record(0, 1, new Section().u32(0x103).u32(0x7ffdb000).u32(0x1364).u32(0xa9).u32(3).u32(8).u32(8).toBytes()));
    const p = w.append(record(0, 4, new Section().u32(0x103).u32(0x7ffd4000).u32(3).u32(8).u32(0x2088).u32(0x1364).toBytes()));
    const { handles } = await handlesOf(w, [
      { handle: 0x34, type: mutant, info: basic },
      { handle: 0x38, type: thread, info: t },
      { handle: 0x3c, type: process, info: p },
    ]);
    expect(handles.map((h) => h.objectInfo)).toEqual([
      { mutant: { currentCount: -1, ownedByCaller: false, abandoned: true }, mutantOwner: { processId: 0x1364, threadId: 0xa3 } },
      { thread: { exitStatus: 0x103, teb: 0x7ffdb000n, processId: 0x1364, threadId: 0xa9 } },
      { process: { exitStatus: 0x103, peb: 0x7ffd4000n, processId: 0x2088, parentProcessId: 0x1364 } },
    ]);
  });

  it('stops at a loop, skips records it does not know, and survives a chain past the end of the file', async () => {
    const w = MinidumpBuilder.raw();
    const mutant = w.string('Mutant');
    // a record whose NextInfoRva points at itself, after an unknown type and an odd-sized owner record
    const odd = w.append(record(0, 3, new Uint8Array(12)));
    const unknown = w.append(record(odd, 99, new Uint8Array(4)));
    const loopAt = w.append(new Uint8Array(0));
    const loop = w.append(record(loopAt, 2, new Section().u32(0).u8(0).u8(0).u16(0).toBytes()));
    expect(loop).toBe(loopAt);
    const { handles, warnings } = await handlesOf(w, [
      { handle: 4, type: mutant, info: unknown },
      { handle: 8, type: mutant, info: loop },
      { handle: 12, type: mutant, info: 0x7fff0000 },
    ]);
    expect(handles.map((h) => h.objectInfo)).toEqual([undefined, { mutant: { currentCount: 0, ownedByCaller: false, abandoned: false } }, undefined]);
    expect(handles.map((h) => h.typeName)).toEqual(['Mutant', 'Mutant', 'Mutant']);
    expect(warnings.some((x) => x.kind === 'stream-corrupt' && /handle 0xc/.test(x.message))).toBe(true);
  });
});
