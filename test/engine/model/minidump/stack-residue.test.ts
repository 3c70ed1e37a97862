// Stack residue and the bytes at the fault, read from the real Wine dumps whose stories are known
// (fixtures/dumps/README.md): which return addresses are stale, which are live, which cannot be
// checked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Uint8ArraySource } from '../../../../src/engine/io/uint8array-source.ts';
import { readMinidumpModel } from '../../../../src/engine/model/from-minidump.ts';
import { MAX_RESIDUE_ENTRIES } from '../../../../src/engine/model/minidump/stack-residue.ts';

const FIXTURES = new URL('../../../../fixtures/', import.meta.url);
const source = (p: string) => new Uint8ArraySource(new Uint8Array(readFileSync(new URL(p, FIXTURES))), p.split('/').pop()!);
const WINE = ['wine-images/ntdll.dll', 'wine-images/kernelbase.dll', 'wine-images/kernel32.dll'];

describe('stack residue of the faulting thread', () => {
  it('keeps the stale return addresses of finished calls, never a live frame, each after a checked CALL', async () => {
    const m = await readMinidumpModel(source('dumps/execution-residue.dmp'), { images: [...WINE, 'dumps/execution-residue.exe'].map(source) });
    const r = m.residue?.[0];
    if (!r) throw new Error('no residue');
    expect(r.threadId).toBe(m.exception?.threadId);
    const offsets = r.entries.filter((e) => e.module === 'execution_residue').map((e) => e.offset);
    // read_manifest+0x33, scan_directory+0x33, load_plugins+0x23
    expect(offsets).toEqual(expect.arrayContaining(['0x18e0', '0x1925', '0x195a']));
    const live = new Set(m.threads.find((t) => t.faulting)!.frames.map((f) => f.address));
    for (const e of r.entries) expect(live.has(e.address), e.address).toBe(false);
    expect(r.entries.length).toBeLessThanOrEqual(MAX_RESIDUE_ENTRIES);
    // slots are on the scanned stretch of stack, in address order
    const slots = r.entries.map((e) => BigInt(e.slot));
    expect([...slots].sort((a, b) => (a < b ? -1 : 1))).toEqual(slots);
  });

  it('keeps nothing it cannot check: the same dump without module code', async () => {
    const m = await readMinidumpModel(source('dumps/execution-residue.dmp'));
    expect(m.residue?.[0]?.entries).toEqual([]);
  });

  it('is not read for a dump without an exception', async () => {
    const m = await readMinidumpModel(source('dumps/manual-dump.dmp'));
    expect(m.residue).toBeUndefined();
  });
});

describe('the bytes at the fault', () => {
  it('holds the ret that faulted and the text it tried to return to', async () => {
    const m = await readMinidumpModel(source('dumps/local-buffer-overflow.dmp'));
    expect(m.faultBytes?.code?.startsWith('c3')).toBe(true);
    expect(m.faultBytes?.stack[0]).toBe('0x6968542065687420');
  });

  it('reads the faulting instruction from the bytes a Windows minidump keeps around the pc', async () => {
    const m = await readMinidumpModel(source('corpus/lldb/sigsegv.dmp'));
    // movl $0x0, 0x0 (LLDB's test program: a NULL write)
    expect(m.faultBytes?.code?.startsWith('c70425000000000000000')).toBe(true);
  });

  it('says nothing for a dump without an exception context', async () => {
    const m = await readMinidumpModel(source('dumps/manual-dump.dmp'));
    expect(m.faultBytes).toBeUndefined();
  });
});
