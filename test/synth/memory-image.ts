// Sparse process memory for building test dumps: write values at addresses (stack slots,
// structures), then take the result as contiguous ranges. Reserved spans are zero-filled first,
// whenever they were declared; among writes, later ones win. `ranges()` merges touching or
// overlapping spans so the dump never holds overlapping ranges.

export class MemoryImage {
  private readonly writes: { address: bigint; bytes: Uint8Array }[] = [];
  private readonly reserved: { address: bigint; size: number }[] = [];

  /** Marks [address, address+size) as captured (zeros unless written, before or after). */
  reserve(address: bigint, size: number): this {
    this.reserved.push({ address, size });
    return this;
  }

  write(address: bigint, bytes: Uint8Array): this {
    this.writes.push({ address, bytes });
    return this;
  }

  u32(address: bigint, value: number | bigint): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, Number(BigInt.asUintN(32, BigInt(value))), true);
    return this.write(address, b);
  }

  u64(address: bigint, value: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return this.write(address, b);
  }

  ranges(): { address: bigint; bytes: Uint8Array }[] {
    const spans = [
      ...this.reserved.map((r) => ({ start: r.address, end: r.address + BigInt(r.size) })),
      ...this.writes.map((w) => ({ start: w.address, end: w.address + BigInt(w.bytes.length) })),
    ]
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const merged: { start: bigint; end: bigint }[] = [];
    for (const s of spans) {
      const prev = merged[merged.length - 1];
      if (prev && s.start <= prev.end) prev.end = s.end > prev.end ? s.end : prev.end;
      else merged.push({ ...s });
    }
    const out = merged.map((m) => ({ address: m.start, bytes: new Uint8Array(Number(m.end - m.start)) }));
    for (const w of this.writes) {
      const r = out.find((o) => w.address >= o.address && w.address < o.address + BigInt(o.bytes.length))!;
      r.bytes.set(w.bytes, Number(w.address - r.address));
    }
    return out;
  }
}
