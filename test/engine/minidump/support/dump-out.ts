// Reads Breakpad's `minidump_dump` text (minidump2.dump.out): blocks headed by a type name
// ("MDRawThread") followed by "  field = value" lines.

export interface DumpOutBlock {
  title: string;
  fields: Map<string, string>;
}

export function parseDumpOut(text: string): DumpOutBlock[] {
  const blocks: DumpOutBlock[] = [];
  let current: DumpOutBlock | null = null;
  for (const line of text.split('\n')) {
    if (/^[A-Za-z]/.test(line)) {
      current = { title: line.trim(), fields: new Map() };
      blocks.push(current);
      continue;
    }
    const m = /^\s+(\S.*?)\s+= (.*)$/.exec(line);
    if (m && current && m[1] !== undefined && m[2] !== undefined) current.fields.set(m[1], m[2]);
  }
  return blocks;
}

export function blocksTitled(blocks: DumpOutBlock[], title: string): Map<string, string>[] {
  return blocks.filter((b) => b.title === title).map((b) => b.fields);
}

/** The numeric value at the start of a field ("0x45d35f73 2007-02-14 …" → 0x45d35f73n). */
export function num(fields: Map<string, string>, key: string): bigint {
  const v = fields.get(key);
  if (v === undefined) throw new Error(`no field ${key}`);
  const token = v.split(/[\s:]/)[0] ?? '';
  return BigInt(token);
}

/** A quoted string field without its quotes ("(null)" → null). */
export function str(fields: Map<string, string>, key: string): string | null {
  const v = fields.get(key);
  if (v === undefined) throw new Error(`no field ${key}`);
  if (v === '(null)') return null;
  return v.replace(/^"(.*)"$/, '$1');
}
