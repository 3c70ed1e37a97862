// Writes a Breakpad .sym of any size in the layout dump_syms uses (MODULE, INFO, FILE…,
// INLINE_ORIGIN…, FUNC with INLINE and line records…, PUBLIC…, STACK CFI…), and keeps what it
// wrote so a test can check every answer the reader gives against the truth. Deterministic:
// the same options give the same bytes. `shuffle` writes the FUNC blocks and PUBLICs in a
// scrambled order, as a file the reader must not trust to be sorted.

export interface GenerateOptions {
  /** Functions to write; each takes ~150–400 bytes with its lines. */
  functions: number;
  files?: number;
  origins?: number;
  /** Write FUNC blocks and PUBLIC records out of address order. */
  shuffle?: boolean;
  seed?: number;
}

export interface GeneratedFunction {
  address: number;
  size: number;
  name: string;
  /** Line records: [address, size, line, fileId]. */
  lines: Array<[number, number, number, number]>;
  /** One inlined call in every third function: [start, size, originId, callLine, callFile]. */
  inline: [number, number, number, number, number] | null;
}

export interface GeneratedSym {
  text: string;
  bytes: Uint8Array;
  functions: GeneratedFunction[];
  /** PUBLIC records: every function's own name (mangled) plus one in each gap. */
  publics: Array<{ address: number; name: string }>;
  files: string[];
  origins: string[];
  cfi: Array<{ address: number; size: number }>;
}

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateSym(options: GenerateOptions): GeneratedSym {
  const rand = random(options.seed ?? 1);
  const fileCount = options.files ?? 2000;
  const originCount = options.origins ?? 500;
  const files = Array.from({ length: fileCount }, (_, i) => `/build/src/module_${i % 97}/component_${i}/source file ${i}.cc`);
  const origins = Array.from({ length: originCount }, (_, i) => `inlined::helper_${i}(int, char const*)`);

  const functions: GeneratedFunction[] = [];
  const publics: Array<{ address: number; name: string }> = [];
  const cfi: Array<{ address: number; size: number }> = [];
  let address = 0x1000;
  for (let i = 0; i < options.functions; i++) {
    const size = 0x20 + Math.floor(rand() * 0x200);
    const fileId = Math.floor(rand() * fileCount);
    const lines: Array<[number, number, number, number]> = [];
    let at = address;
    let line = 10 + Math.floor(rand() * 5000);
    while (at < address + size) {
      const step = Math.min(address + size - at, 1 + Math.floor(rand() * 0x30));
      lines.push([at, step, line, fileId]);
      at += step;
      line += 1 + Math.floor(rand() * 3);
    }
    const inline: GeneratedFunction['inline'] =
      i % 3 === 0 && size > 0x40
        ? [address + 0x10, 0x20, Math.floor(rand() * originCount), line + 7, Math.floor(rand() * fileCount)]
        : null;
    functions.push({ address, size, name: `ns${i % 13}::Class${i}::method_${i}(unsigned long)`, lines, inline });
    publics.push({ address, name: `?method_${i}@Class${i}@ns${i % 13}@@QAEXK@Z` });
    cfi.push({ address, size });
    // A gap of code no FUNC covers, named by a PUBLIC only in every other function.
    const gap = 0x10 + Math.floor(rand() * 0x40);
    if (i % 2 === 0) publics.push({ address: address + size, name: `gap_stub_${i}` });
    address += size + gap;
  }

  const out: string[] = [];
  out.push('MODULE Linux x86_64 0123456789ABCDEF0123456789ABCDEF0 generated.so');
  out.push('INFO CODE_ID 89674523CDAB1032 generated.so');
  files.forEach((name, id) => out.push(`FILE ${id} ${name}`));
  origins.forEach((name, id) => out.push(`INLINE_ORIGIN ${id} ${name}`));
  const blocks = functions.map((f) => {
    const block = [`FUNC ${hex(f.address)} ${hex(f.size)} 0 ${f.name}`];
    if (f.inline !== null) {
      const [start, size, origin, callLine, callFile] = f.inline;
      block.push(`INLINE 0 ${callLine} ${callFile} ${origin} ${hex(start)} ${hex(size)}`);
    }
    for (const [a, s, l, file] of f.lines) block.push(`${hex(a)} ${hex(s)} ${l} ${file}`);
    return block.join('\n');
  });
  const publicLines = publics.map((p) => `PUBLIC ${hex(p.address)} 0 ${p.name}`);
  if (options.shuffle) {
    scramble(blocks, rand);
    scramble(publicLines, rand);
  }
  out.push(...blocks, ...publicLines);
  for (const c of cfi) {
    out.push(`STACK CFI INIT ${hex(c.address)} ${hex(c.size)} .cfa: $rsp 8 + .ra: .cfa -8 + ^`);
    out.push(`STACK CFI ${hex(c.address + 1)} .cfa: $rsp 16 + $rbp: .cfa -16 + ^`);
    out.push(`STACK CFI ${hex(c.address + 4)} .cfa: $rbp 16 +`);
  }
  const text = `${out.join('\n')}\n`;
  return { text, bytes: new TextEncoder().encode(text), functions, publics, files, origins, cfi };
}

function hex(n: number): string {
  return n.toString(16);
}

function scramble<T>(items: T[], rand: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** What the reader must answer for `rva`, computed from what was written. */
export function expectedName(sym: GeneratedSym, rva: number): { name: string; from: 'private' | 'public'; file: string | null; line: number | null } | null {
  let lo = 0;
  let hi = sym.functions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sym.functions[mid]!.address <= rva) lo = mid + 1;
    else hi = mid;
  }
  const func = sym.functions[lo - 1];
  if (func !== undefined && rva < func.address + func.size) {
    const line = func.lines.find(([a, s]) => rva >= a && rva < a + s);
    return { name: func.name, from: 'private', file: line ? sym.files[line[3]]! : null, line: line ? line[2] : null };
  }
  const before = sym.publics.filter((p) => p.address <= rva).sort((a, b) => a.address - b.address).pop();
  if (before === undefined || (func !== undefined && before.address <= func.address)) return null;
  return { name: before.name, from: 'public', file: null, line: null };
}
