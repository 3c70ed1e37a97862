// An AddressSpace over a few byte arrays placed at virtual addresses: a stack, an image. Gaps
// between regions are "not in the dump", exactly as a minidump's missing pages are.
import type { AddressSpace, MemoryRange } from '../../../../src/engine/memory/address-space.ts';

export class FakeMemory implements AddressSpace {
  readonly regions: { base: bigint; bytes: Uint8Array }[] = [];
  /** Every read, for tests that check what was (not) touched. */
  readonly reads: { address: bigint; length: number }[] = [];

  add(base: bigint, bytes: Uint8Array): this {
    this.regions.push({ base, bytes });
    this.regions.sort((a, b) => (a.base < b.base ? -1 : 1));
    return this;
  }

  rangeAt(address: bigint): MemoryRange | null {
    for (const r of this.regions) {
      if (address >= r.base && address < r.base + BigInt(r.bytes.length)) return { base: r.base, size: BigInt(r.bytes.length) };
    }
    return null;
  }

  async read(address: bigint, length: number): Promise<Uint8Array | null> {
    this.reads.push({ address, length });
    const out = new Uint8Array(length);
    let done = 0;
    // Reads may span adjacent regions, like a real dump's adjacent memory ranges.
    while (done < length) {
      const at = address + BigInt(done);
      const r = this.regions.find((x) => at >= x.base && at < x.base + BigInt(x.bytes.length));
      if (!r) return null;
      const offset = Number(at - r.base);
      const take = Math.min(length - done, r.bytes.length - offset);
      out.set(r.bytes.subarray(offset, offset + take), done);
      done += take;
    }
    return out;
  }
}
