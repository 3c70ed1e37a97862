// An AddressSpace over a handful of byte ranges: the test double for code that reads process
// memory (WOW64 recovery, PE images, unwinders) without a dump file in between. Gaps between
// ranges are "not in the dump", exactly as a minidump's missing pages are.
import type { AddressSpace, MemoryRange } from '../../src/engine/memory/address-space.ts';

export class SyntheticAddressSpace implements AddressSpace {
  private readonly ranges: { base: bigint; bytes: Uint8Array }[] = [];
  /** Every read, for tests that check what was (not) touched. */
  readonly reads: { address: bigint; length: number }[] = [];

  constructor(ranges: { address: bigint | number; bytes: Uint8Array }[] = []) {
    for (const r of ranges) this.add(r.address, r.bytes);
  }

  /** Places `bytes` at `base` (a stack, an image). */
  add(base: bigint | number, bytes: Uint8Array): this {
    this.ranges.push({ base: BigInt(base), bytes });
    this.ranges.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
    return this;
  }

  rangeAt(address: bigint): MemoryRange | null {
    for (const r of this.ranges) {
      if (address >= r.base && address < r.base + BigInt(r.bytes.length)) return { base: r.base, size: BigInt(r.bytes.length) };
    }
    return null;
  }

  async read(address: bigint, length: number): Promise<Uint8Array | null> {
    this.reads.push({ address, length });
    const out = new Uint8Array(length);
    let done = 0;
    // Reads may span adjacent ranges, like a real dump's adjacent memory ranges.
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
