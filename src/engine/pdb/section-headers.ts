// The image's section headers, as the linker copied them into a DBI debug stream: symbols and
// line tables give addresses as section:offset, lookups come as RVAs; these convert both ways.
import type { MsfFile } from './msf.ts';
import { PdbError } from './pdb-error.ts';
import { RecordView, decodeUtf8 } from './record-view.ts';

const HEADER_BYTES = 40;
/** As for PE images (docs/limits.md): real images have tens of sections. */
export const MAX_SECTIONS = 1024;

export interface SectionHeader {
  name: string;
  virtualAddress: number;
  /** The larger of VirtualSize and SizeOfRawData: some linkers leave VirtualSize 0. */
  size: number;
}

export class SectionTable {
  readonly sections: readonly SectionHeader[];

  constructor(sections: SectionHeader[]) {
    this.sections = sections;
  }

  /** RVA of section:offset (sections are 1-based), or null when there is no such section. */
  toRva(section: number, offset: number): number | null {
    const s = this.sections[section - 1];
    if (s === undefined) return null;
    return s.virtualAddress + offset;
  }

  /** The 1-based section and the offset in it of `rva`, or null outside every section. */
  toSectionOffset(rva: number): { section: number; offset: number } | null {
    for (let i = 0; i < this.sections.length; i++) {
      const s = this.sections[i]!;
      if (rva >= s.virtualAddress && rva - s.virtualAddress < s.size) return { section: i + 1, offset: rva - s.virtualAddress };
    }
    return null;
  }
}

export async function readSectionHeaders(msf: MsfFile, streamIndex: number): Promise<SectionTable> {
  const stream = msf.openStream(streamIndex, 'section headers stream');
  if (stream === null) throw new PdbError('corrupt', `the section headers stream ${streamIndex} does not exist`);
  const count = Math.floor(stream.size / HEADER_BYTES);
  if (count > MAX_SECTIONS) throw new PdbError('too-large', `${count} section headers (at most ${MAX_SECTIONS} are read)`);
  const v = new RecordView(await stream.read(0, count * HEADER_BYTES), 'section headers');
  const sections: SectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * HEADER_BYTES;
    const raw = v.bytes.subarray(at, at + 8);
    const nul = raw.indexOf(0);
    sections.push({
      name: decodeUtf8(nul < 0 ? raw : raw.subarray(0, nul)),
      virtualAddress: v.u32(at + 12),
      size: Math.max(v.u32(at + 8), v.u32(at + 16)),
    });
  }
  return new SectionTable(sections);
}
