// An AddressSpace over a handful of byte ranges: the test double for code that reads process
// memory (WOW64 recovery, PE images, unwinders) without a dump file in between.
import type { AddressSpace, MemoryRange } from '../../src/engine/memory/address-space.ts';

export class SyntheticAddressSpace implements AddressSpace {
  private readonly ranges: { base: bigint; bytes: Uint8Array }[];

  constructor(ranges: { address: bigint | number; bytes: Uint8Array }[]) {
    this.ranges = ranges
      .map((r) => ({ base: BigInt(r.address), bytes: r.bytes }))
      .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  }

  rangeAt(address: bigint): MemoryRange | null {
    for (const r of this.ranges) {
      if (address >= r.base && address < r.base + BigInt(r.bytes.length)) return { base: r.base, size: BigInt(r.bytes.length) };
    }
    return null;
  }

  async read(address: bigint, length: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = address + BigInt(done);
      const r = this.ranges.find((x) => at >= x.base && at < x.base + BigInt(x.bytes.length));
      if (!r) return null;
      const off = Number(at - r.base);
      const n = Math.min(length - done, r.bytes.length - off);
      out.set(r.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }
}
