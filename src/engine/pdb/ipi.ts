// Names of inlined functions: an S_INLINESITE names its callee by IPI item id, an LF_FUNC_ID
// (free function, with an optional scope id naming its namespace) or LF_MFUNC_ID (member
// function, with the class's TPI type). Names are qualified the way LLVM's PDB reader and
// llvm-symbolizer print them: "scope::name", "Class::name".
import { HeldCache } from './held-cache.ts';
import { PdbError } from './pdb-error.ts';
import type { RecordView } from './record-view.ts';
import { numericLeafBytes, type TypeStream } from './type-stream.ts';

const LF_CLASS = 0x1504;
const LF_STRUCTURE = 0x1505;
const LF_UNION = 0x1506;
const LF_ENUM = 0x1507;
const LF_INTERFACE = 0x1519;
const LF_FUNC_ID = 0x1601;
const LF_MFUNC_ID = 0x1602;
const LF_STRING_ID = 0x1605;

export class InlineeNames {
  readonly #ipi: TypeStream | null;
  readonly #tpi: TypeStream | null;
  readonly #cache: HeldCache<number, string>;

  constructor(ipi: TypeStream | null, tpi: TypeStream | null, cacheBytes: number) {
    this.#ipi = ipi;
    this.#tpi = tpi;
    this.#cache = new HeldCache(cacheBytes);
  }

  /** The qualified name of IPI item `id`. */
  async name(id: number): Promise<string> {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    if (this.#ipi === null) throw new PdbError('corrupt', `an inline site names item 0x${id.toString(16)} but the PDB has no IPI stream`);
    const rec = await this.#ipi.record(id);
    if (rec === null) throw new PdbError('corrupt', `an inline site names item 0x${id.toString(16)}, outside the IPI stream`);
    const kind = rec.u16(2);
    let name: string;
    if (kind === LF_FUNC_ID) {
      const scope = rec.u32(4);
      const own = rec.cString(12).text;
      name = scope === 0 ? own : `${await this.#scopeName(scope)}::${own}`;
    } else if (kind === LF_MFUNC_ID) {
      const own = rec.cString(12).text;
      name = `${await this.#className(rec.u32(4))}::${own}`;
    } else {
      throw new PdbError('corrupt', `an inline site names item 0x${id.toString(16)} of kind 0x${kind.toString(16)}, not a function id`);
    }
    this.#cache.set(id, name, 32 + name.length * 2);
    return name;
  }

  async #scopeName(id: number): Promise<string> {
    const rec = await this.#ipi!.record(id);
    if (rec === null || rec.u16(2) !== LF_STRING_ID) throw new PdbError('corrupt', `a function id's scope 0x${id.toString(16)} is not a string id`);
    return rec.cString(8).text;
  }

  async #className(ti: number): Promise<string> {
    const rec = this.#tpi === null ? null : await this.#tpi.record(ti);
    if (rec === null) throw new PdbError('corrupt', `a member function id names class type 0x${ti.toString(16)}, which the TPI stream lacks`);
    return udtName(rec);
  }
}

/** The name of a class, struct, interface, union or enum type record. */
function udtName(rec: RecordView): string {
  const kind = rec.u16(2);
  switch (kind) {
    case LF_CLASS:
    case LF_STRUCTURE:
    case LF_INTERFACE:
      // count, property, field list, derived-from list, vtable shape, then the size as a numeric leaf.
      return rec.cString(20 + numericLeafBytes(rec, 20)).text;
    case LF_UNION:
      return rec.cString(12 + numericLeafBytes(rec, 12)).text;
    case LF_ENUM:
      return rec.cString(16).text;
    default:
      throw new PdbError('corrupt', `${rec.what} is of kind 0x${kind.toString(16)}, not a class`);
  }
}
