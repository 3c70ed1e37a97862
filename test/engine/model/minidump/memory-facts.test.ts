import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../../src/engine/io/uint8array-source.ts';
import { readMinidumpModel } from '../../../../src/engine/model/from-minidump.ts';
import { summarizeMemoryMap } from '../../../../src/engine/model/minidump/memory-facts.ts';
import { contextAmd64 } from '../../../synth/context-writers.ts';
import { MinidumpBuilder } from '../../../synth/minidump-builder.ts';

const COMMIT = 0x1000;
const RESERVE = 0x2000;
const FREE = 0x10000;
const PRIVATE = 0x20000;
const MAPPED = 0x40000;
const IMAGE = 0x1000000;

function region(base: bigint, size: bigint, state: number, type = 0) {
  return { base, allocationBase: base, allocationProtect: 4, regionSize: size, state, protect: 4, type };
}

describe('the memory map summed up', () => {
  it('counts committed memory by type, reserved memory, and the largest hole below the top', () => {
    const s = summarizeMemoryMap([
      region(0x0n, 0x10000n, FREE),
      region(0x10000n, 0x2000n, COMMIT, PRIVATE),
      region(0x12000n, 0x100000n, FREE),
      region(0x112000n, 0x5000n, COMMIT, IMAGE),
      region(0x117000n, 0x3000n, COMMIT, MAPPED),
      region(0x11a000n, 0x6000n, RESERVE, PRIVATE),
      region(0x120000n, 0x7ff000000000n, FREE),
    ]);
    expect(s).toEqual({
      regions: 7,
      committedBytes: 0xa000,
      privateCommittedBytes: 0x2000,
      imageCommittedBytes: 0x5000,
      mappedCommittedBytes: 0x3000,
      reservedBytes: 0x6000,
      // the free tail above the last allocation is the rest of the address space, not a hole
      largestFreeBytes: 0x100000,
    });
  });
});

describe('memory facts read from a dump', () => {
  const rsp = 0x5e8a1fe8b0n;
  const lost = 0x5e8a9ff6f0n;
  function dump(withMap: boolean): Uint8Array {
    const b = new MinidumpBuilder()
      .systemInfo({ arch: 'amd64', major: 10, minor: 0, build: 19045 })
      .module({ name: 'C:\\app\\app.exe', base: 0x7ff62c410000n, size: 0x30000 })
      .thread({ id: 1, stack: { address: rsp, bytes: new Uint8Array(0x100) }, context: contextAmd64({ rip: 0x7ff62c411000n, rsp }) })
      .thread({ id: 2, context: contextAmd64({ rip: 0x7ff62c411000n, rsp: lost }) })
      .thread({ id: 3 });
    if (withMap) b.memoryInfo({ base: lost & ~0xfffn, regionSize: 0x1000, state: COMMIT, protect: 4, type: PRIVATE });
    return b.build().bytes;
  }

  it('names each thread whose stack pointer falls in no captured range, and what the map says of it', async () => {
    const m = await readMinidumpModel(new Uint8ArraySource(dump(true), 'gaps.dmp'));
    // thread 3 has no context at all: not a gap
    expect(m.memory?.gaps).toEqual([{ what: 'stack', threadId: 2, address: '0x5e8a9ff6f0', state: 'commit' }]);
    expect(m.memory?.map?.regions).toBe(1);
    expect(m.memory?.capturedRanges).toBeGreaterThan(0);
  });

  it('has no map and unknown states without a MemoryInfoList', async () => {
    const m = await readMinidumpModel(new Uint8ArraySource(dump(false), 'gaps.dmp'));
    expect(m.memory?.map).toBeNull();
    expect(m.memory?.gaps[0]?.state).toBeNull();
  });
});
