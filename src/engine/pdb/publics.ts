// Public symbols (S_PUB32): what a stripped or public PDB still names. The publics stream (PSI)
// holds, after its hash table, an address map: offsets of the S_PUB32 records in the symbol
// record stream, sorted by section:offset. A lookup binary searches that map in place — each
// probe reads one offset and the record it points at — for the nearest public at or before the
// address in the same section. Publics have no size, so the answer says only where the
// nearest named code before the address starts.
//
// PSI header (28 bytes): hash size, address map size, thunk count and size, thunk table
// section and offset, section count; then the hash (GSI header + records + buckets), then the map.
import type { MsfFile } from './msf.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView } from './record-view.ts';
import { StreamWindow } from './stream-window.ts';

const S_PUB32 = 0x110e;
const HEADER_BYTES = 28;

export interface PublicSymbol {
  name: string;
  section: number;
  offset: number;
}

export class Publics {
  readonly #map: StreamWindow;
  readonly #mapAt: number;
  readonly count: number;
  readonly #records: StreamWindow;

  private constructor(map: StreamWindow, mapAt: number, count: number, records: StreamWindow) {
    this.#map = map;
    this.#mapAt = mapAt;
    this.count = count;
    this.#records = records;
  }

  /** The address map of the publics stream, or null when the PDB has no publics. */
  static async open(msf: MsfFile, publicsStream: number, recordsStream: number): Promise<Publics | null> {
    const psi = msf.openStream(publicsStream, 'publics stream');
    const records = msf.openStream(recordsStream, 'symbol records stream');
    if (psi === null || records === null || psi.size < HEADER_BYTES) return null;
    const h = new RecordView(await psi.read(0, HEADER_BYTES), 'publics header');
    const hashBytes = h.u32(0);
    const mapBytes = h.u32(4);
    const mapAt = HEADER_BYTES + hashBytes;
    if (mapAt + mapBytes > psi.size) throw new PdbError('corrupt', `publics: the address map (${mapBytes} bytes after ${hashBytes} of hash) runs past the ${psi.size}-byte stream`);
    return new Publics(new StreamWindow(psi, 4096), mapAt, Math.floor(mapBytes / 4), new StreamWindow(records, 4096));
  }

  async at(i: number): Promise<PublicSymbol> {
    const offset = (await this.#map.view(this.#mapAt + i * 4, 4, 'publics address map')).u32(0);
    const what = `public symbol at ${offset}`;
    const length = (await this.#records.view(offset, 2, what)).u16(0);
    if (length < 12) throw new PdbError('corrupt', `${what} is too short (${length} bytes)`);
    const rec = await this.#records.view(offset, 2 + length, what);
    if (rec.u16(2) !== S_PUB32) throw new PdbError('corrupt', `${what} is of kind 0x${rec.u16(2).toString(16)}, not S_PUB32`);
    return { offset: rec.u32(8), section: rec.u16(12), name: rec.cString(14).text };
  }

  /** The last public at or before section:offset in that section, or null. */
  async nearest(section: number, offset: number): Promise<PublicSymbol | null> {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = await this.at(mid);
      if (p.section < section || (p.section === section && p.offset <= offset)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return null;
    const p = await this.at(lo - 1);
    return p.section === section ? p : null;
  }
}
