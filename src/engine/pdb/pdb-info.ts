// The PDB info stream (stream 1): which build this PDB belongs to (GUID, age) and the named
// stream map that says where "/names" (the string table) lives.
//
//   Version, Signature, Age, Guid[16], then the named stream map: a string buffer and a hash
//   table of (offset of the name in the buffer → stream number), then feature codes.
import type { MsfFile } from './msf.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView } from './record-view.ts';

export const PDB_INFO_STREAM = 1;
/** The first version with a GUID (Visual C++ 7.0); older ones live in MSF 2.0 files. */
const VERSION_VC70 = 20000404;
/** The info stream is a few hundred bytes; this much covers a map of thousands of named streams. */
const MAX_INFO_BYTES = 1024 * 1024;
const MAX_NAMED_STREAMS = 4096;

export interface PdbInfo {
  version: number;
  signature: number;
  age: number;
  /** The GUID's 16 bytes as stored (Data1..Data3 little-endian). */
  guid: Uint8Array;
  /** Named streams ("/names", "/LinkInfo", "/src/headerblock") → stream number. */
  namedStreams: Map<string, number>;
}

export async function readPdbInfo(msf: MsfFile): Promise<PdbInfo> {
  const stream = msf.openStream(PDB_INFO_STREAM, 'PDB info stream');
  if (stream === null) throw new PdbError('corrupt', 'no PDB info stream');
  if (stream.size < 28) throw new PdbError('corrupt', `the PDB info stream has ${stream.size} bytes, fewer than its 28-byte header`);
  const size = Math.min(stream.size, MAX_INFO_BYTES);
  const v = new RecordView(await stream.read(0, size), 'PDB info stream');
  const version = v.u32(0);
  if (version < VERSION_VC70) throw new PdbError('unsupported', `PDB info version ${version} predates PDB 7.0 and carries no GUID`);
  const info: PdbInfo = {
    version,
    signature: v.u32(4),
    age: v.u32(8),
    guid: v.bytes.slice(12, 28),
    namedStreams: new Map(),
  };
  // A damaged map loses "/names" (file names of lines) but not the identity: keep what was read.
  try {
    readNamedStreams(v, 28, info.namedStreams);
  } catch (err) {
    if (!(err instanceof PdbError)) throw err;
  }
  return info;
}

function readNamedStreams(v: RecordView, at: number, out: Map<string, number>): void {
  const bufferSize = v.u32(at);
  const buffer = v.slice(at + 4, bufferSize, 'named stream names');
  let p = at + 4 + bufferSize;
  const size = v.u32(p);
  const capacity = v.u32(p + 4);
  p += 8;
  if (size > MAX_NAMED_STREAMS || size > capacity) throw new PdbError('corrupt', `named stream map of ${size} entries in ${capacity} buckets`);
  const presentWords = v.u32(p);
  p += 4;
  if (presentWords * 4 > v.length) throw new PdbError('corrupt', 'named stream map bit vector is larger than the stream');
  const present: number[] = [];
  for (let w = 0; w < presentWords; w++) {
    const word = v.u32(p + w * 4);
    for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) present.push(w * 32 + bit);
  }
  p += presentWords * 4;
  const deletedWords = v.u32(p);
  if (deletedWords * 4 > v.length) throw new PdbError('corrupt', 'named stream map bit vector is larger than the stream');
  p += 4 + deletedWords * 4;
  const entries = Math.min(present.length, size);
  for (let i = 0; i < entries; i++) {
    const nameOffset = v.u32(p + i * 8);
    const stream = v.u32(p + i * 8 + 4);
    const name = buffer.cString(nameOffset).text;
    out.set(name, stream);
  }
}

/** The GUID in its printed order (Data1-Data2-Data3-Data4) as 32 upper-case hex digits. */
export function guidHex(guid: Uint8Array): string {
  const hex = (b: number): string => b.toString(16).padStart(2, '0');
  const d = (i: number): number => guid[i] ?? 0;
  const data1 = [3, 2, 1, 0].map((i) => hex(d(i))).join('');
  const data2 = [5, 4].map((i) => hex(d(i))).join('');
  const data3 = [7, 6].map((i) => hex(d(i))).join('');
  const data4 = [8, 9, 10, 11, 12, 13, 14, 15].map((i) => hex(d(i))).join('');
  return `${data1}${data2}${data3}${data4}`.toUpperCase();
}
