// Writes an MSF 7.0 container (the file format of PDB 7.0) from a list of streams: the
// superblock, free block maps at blocks 1–2 of every interval, each stream's blocks, the stream
// directory and the block holding the directory's block numbers. `scatter` spreads every
// stream's blocks over the file in a shuffled order, as an incrementally linked PDB has them,
// so a reader that assumed contiguous streams would read garbage.

export const MSF7_MAGIC = 'Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0';

export interface MsfLayout {
  /** 512, 1024, 2048 or 4096 (default). */
  blockSize?: number;
  /** Shuffle the blocks of every stream over the file (deterministically). */
  scatter?: boolean;
}

/** `null` streams are nil (size 0xFFFFFFFF), as a deleted stream is. */
export function writeMsf(streams: ReadonlyArray<Uint8Array | null>, layout: MsfLayout = {}): Uint8Array {
  const bs = layout.blockSize ?? 4096;
  const blockCounts = streams.map((s) => (s === null ? 0 : Math.ceil(s.length / bs)));
  const dataBlocks = blockCounts.reduce((a, b) => a + b, 0);
  const directoryBytes = 4 + streams.length * 4 + dataBlocks * 4;
  const directoryBlocks = Math.ceil(directoryBytes / bs);
  if (directoryBlocks > bs / 4) throw new Error(`msf-writer: a directory of ${directoryBytes} bytes does not fit one block map`);

  // Block 0 is the superblock; blocks 1 and 2 of every interval of `bs` blocks are the two free
  // block maps (FPM). Everything else is ours.
  const usable: number[] = [];
  for (let b = 3; usable.length < dataBlocks + directoryBlocks + 1; b++) {
    const inInterval = b % bs;
    if (inInterval === 1 || inInterval === 2) continue;
    usable.push(b);
  }
  const blockMapAddr = usable.pop()!;
  const dirBlockNumbers = usable.splice(usable.length - directoryBlocks, directoryBlocks);
  if (layout.scatter) shuffle(usable);
  // The block map took the highest block number handed out.
  const numBlocks = Math.max(blockMapAddr, 2) + 1;

  const file = new Uint8Array(numBlocks * bs);
  const view = new DataView(file.buffer);
  for (let i = 0; i < MSF7_MAGIC.length; i++) file[i] = MSF7_MAGIC.charCodeAt(i);
  view.setUint32(32, bs, true);
  view.setUint32(36, 1, true);
  view.setUint32(40, numBlocks, true);
  view.setUint32(44, directoryBytes, true);
  view.setUint32(48, 0, true);
  view.setUint32(52, blockMapAddr, true);

  const directory = new Uint8Array(directoryBlocks * bs);
  const dir = new DataView(directory.buffer);
  dir.setUint32(0, streams.length, true);
  let at = 4 + streams.length * 4;
  let next = 0;
  streams.forEach((s, i) => {
    dir.setUint32(4 + i * 4, s === null ? 0xffffffff : s.length, true);
    if (s === null) return;
    for (let k = 0; k < blockCounts[i]!; k++) {
      const block = usable[next++]!;
      dir.setUint32(at, block, true);
      at += 4;
      file.set(s.subarray(k * bs, Math.min(s.length, (k + 1) * bs)), block * bs);
    }
  });
  dirBlockNumbers.forEach((block, k) => {
    file.set(directory.subarray(k * bs, (k + 1) * bs), block * bs);
    view.setUint32(blockMapAddr * bs + k * 4, block, true);
  });
  return file;
}

/** A fixed permutation (LCG-driven Fisher–Yates): the same file on every run. */
function shuffle(list: number[]): void {
  let seed = 0x2545f491;
  for (let i = list.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}
