// x64 stack walking on hand-built images and stacks. Each test lays out a stack the way the
// functions' prologs would have left it and checks the frames the walker recovers.
import { describe, expect, it } from 'vitest';
import { toModelFrames } from '../../../src/engine/unwind/model-frames.ts';
import { walkAmd64 } from '../../../src/engine/unwind/amd64.ts';
import type { Amd64Registers } from '../../../src/engine/unwind/types.ts';
import { Frame } from '../../../src/engine/core/dump-model.ts';
import { Section } from '../../synth/section.ts';
import { Amd64Reg, buildPe, flatImage, type ExportSpec, type RuntimeFunctionSpec, type UnwindInfoSpec } from '../../synth/pe-builder.ts';
import { callBefore, makeEnv, textBytes } from './support/env.ts';

const IMG = 0x7ff6_1000_0000n;
const OTHER = 0x7ff7_0000_0000n; // a module whose image is nowhere: not in the dump, not supplied
const S = 0x10_0000n;

const { rbx, rbp, rsi, rdi } = Amd64Reg;

function setup(opts: { functions: RuntimeFunctionSpec[]; patches?: Record<number, number[]>; stack: Section; exports?: ExportSpec[] }) {
  const image = buildPe({
    machine: 'amd64',
    imageBase: IMG,
    text: { size: 0x400, chunks: [{ offset: 0, bytes: textBytes(0x400, opts.patches ?? {}) }] },
    pdata: opts.functions,
    ...(opts.exports ? { exports: { dllName: 'test.dll', functions: opts.exports } } : {}),
  });
  return makeEnv(
    [
      { base: IMG, bytes: flatImage(image) },
      { base: opts.stack.origin, bytes: opts.stack.toBytes() },
    ],
    [
      { name: 'C:\\app\\test.dll', base: IMG, size: BigInt(image.sizeOfImage) },
      { name: 'C:\\app\\nomem.dll', base: OTHER, size: 0x10000n },
    ],
  );
}

const ctx = (rip: bigint, rsp: bigint, more: Partial<Amd64Registers> = {}): Amd64Registers => ({ rip, rsp, ...more });
const ips = (frames: { ip: bigint }[]): bigint[] => frames.map((f) => f.ip);

describe('amd64 unwind info', () => {
  // FA: push rbx; sub rsp,28h; mov [rsp+40h],rsi            (save_nonvol, alloc small, push)
  // FB: sub rsp,100h; mov [rsp+108h],rdi; movaps xmm6/xmm7   (alloc large/16, save_nonvol_far, xmm saves)
  // FC: push rbp; sub rsp,10010h; lea rbp,[rsp+20h]; ...alloca (push, alloc large/32, set_fpreg)
  // FE: sub rsp,18h                                            (alloc small), returns to 0
  const functions: RuntimeFunctionSpec[] = [
    {
      begin: 0x1000,
      end: 0x1080,
      unwind: {
        prologSize: 10,
        codes: [
          { op: 'save-nonvol', at: 10, reg: rsi, offset: 0x40 },
          { op: 'alloc-small', at: 5, size: 0x28 },
          { op: 'push-nonvol', at: 1, reg: rbx },
        ],
      },
    },
    {
      begin: 0x1100,
      end: 0x1200,
      unwind: {
        prologSize: 28,
        codes: [
          { op: 'save-xmm128-far', at: 28, reg: 7, offset: 0x30 },
          { op: 'save-xmm128', at: 20, reg: 6, offset: 0x20 },
          { op: 'save-nonvol-far', at: 15, reg: rdi, offset: 0x108 },
          { op: 'alloc-large', at: 7, size: 0x100 },
        ],
      },
    },
    {
      begin: 0x1200,
      end: 0x1300,
      unwind: {
        prologSize: 13,
        frameRegister: rbp,
        frameOffset: 0x20,
        codes: [
          { op: 'set-fpreg', at: 13 },
          { op: 'alloc-large', at: 8, size: 0x10010, wide: true },
          { op: 'push-nonvol', at: 1, reg: rbp },
        ],
      },
    },
    { begin: 0x1300, end: 0x1380, unwind: { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x18 }] } },
  ];

  function fourFrameStack(): Section {
    const st = new Section(S);
    st.padTo(0x28).u64(0x1111); // FA: saved rbx
    st.u64(IMG + 0x1150n); // FA's return address, into FB
    st.padTo(0x40).u64(0x2222); // rsi saved by FA in its caller's home area ([S+40h])
    st.padTo(0x138).u64(IMG + 0x1250n); // FB's return address, into FC
    st.u64(0x3333); // rdi saved by FB at [S+38h+108h]
    // FC's body did a 40h alloca: its post-prolog RSP is S+180h, its RBP S+1A0h.
    st.padTo(0x10190).u64(0xbeef0); // FC: saved rbp
    st.u64(IMG + 0x1340n); // FC's return address, into FE
    st.padTo(0x101b8).u64(0); // FE returns to 0: end of stack
    return st;
  }

  it('applies every unwind code and carries the nonvolatile registers', async () => {
    const env = setup({ functions, stack: fourFrameStack() });
    const walk = await walkAmd64(
      ctx(IMG + 0x1040n, S, { rbp: S + 0x1a0n, rbx: 0xb0b0n, rsi: 0x5151n, rdi: 0xd1d1n, r12: 0x1212n, rax: 0xaaaan }),
      env,
    );
    expect(walk.warnings).toEqual([]);
    expect(walk.stop).toBe('end-of-stack');
    expect(ips(walk.frames)).toEqual([IMG + 0x1040n, IMG + 0x1150n, IMG + 0x1250n, IMG + 0x1340n]);
    expect(walk.frames.map((f) => f.sp)).toEqual([S, S + 0x38n, S + 0x140n, S + 0x101a0n]);
    expect(walk.frames.map((f) => f.trust)).toEqual(['context', 'unwind-info', 'unwind-info', 'unwind-info']);
    expect(walk.frames[1]!.registers).toEqual({ rip: IMG + 0x1150n, rsp: S + 0x38n, rbx: 0x1111n, rsi: 0x2222n, rdi: 0xd1d1n, rbp: S + 0x1a0n, r12: 0x1212n });
    expect(walk.frames[2]!.registers).toMatchObject({ rdi: 0x3333n, rbx: 0x1111n });
    expect(walk.frames[3]!.registers).toMatchObject({ rbp: 0xbeef0n, rdi: 0x3333n });
    expect(walk.frames[3]!.registers.rax).toBeUndefined();
  });

  it('applies only the prolog codes already executed when RIP is inside the prolog', async () => {
    // After "push rbx" (offset 1), before "sub rsp,28h" (offset 5).
    const st = new Section(S).u64(0x7777).u64(IMG + 0x1150n).padTo(0x200);
    const walk = await walkAmd64(ctx(IMG + 0x1003n, S, { rsi: 0x5151n }), setup({ functions, stack: st }), { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 0x10n, trust: 'unwind-info' });
    expect(walk.frames[1]!.registers).toMatchObject({ rbx: 0x7777n, rsi: 0x5151n });
    // After the alloc (offset 5), before the rsi save (offset 10): rsi is not read.
    const st2 = new Section(S).padTo(0x28).u64(0x7777).u64(IMG + 0x1150n).u64(0x9999).padTo(0x200);
    const walk2 = await walkAmd64(ctx(IMG + 0x1007n, S, { rsi: 0x5151n }), setup({ functions, stack: st2 }), { maxFrames: 2 });
    expect(walk2.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 0x38n });
    expect(walk2.frames[1]!.registers).toMatchObject({ rbx: 0x7777n, rsi: 0x5151n });
  });

  it('follows chained unwind info, applying all of the parent’s codes', async () => {
    const parent: UnwindInfoSpec = {
      prologSize: 4,
      codes: [
        { op: 'alloc-small', at: 4, size: 0x20 },
        { op: 'push-nonvol', at: 1, reg: rbx },
      ],
    };
    const fns: RuntimeFunctionSpec[] = [
      { begin: 0x1000, end: 0x1040, unwind: parent },
      // The child fragment: saves rsi in its own 4-byte prolog, then chains to the parent.
      {
        begin: 0x1100,
        end: 0x1140,
        unwind: { prologSize: 4, codes: [{ op: 'save-nonvol', at: 4, reg: rsi, offset: 0x30 }], chained: { begin: 0x1000, end: 0x1040, unwind: parent } },
      },
    ];
    const stack = new Section(S).padTo(0x20).u64(0x4444).u64(IMG + 0x1150n).u64(0x5555).padTo(0x100);
    const env = setup({ functions: fns, stack });
    const walk = await walkAmd64(ctx(IMG + 0x1110n, S, { rsi: 0x5151n }), env, { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 0x30n, trust: 'unwind-info' });
    expect(walk.frames[1]!.registers).toMatchObject({ rbx: 0x4444n, rsi: 0x5555n });
    // Inside the child's prolog (offset 2): its save is skipped, the parent's codes still all apply.
    const inProlog = await walkAmd64(ctx(IMG + 0x1102n, S, { rsi: 0x5151n }), env, { maxFrames: 2 });
    expect(inProlog.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 0x30n });
    expect(inProlog.frames[1]!.registers).toMatchObject({ rbx: 0x4444n, rsi: 0x5151n });
  });

  it('stops following a chain that loops, warns, and falls back to scanning', async () => {
    const fns: RuntimeFunctionSpec[] = [{ begin: 0x1100, end: 0x1140, unwind: { prologSize: 0, codes: [], chained: { begin: 0x1100, end: 0x1140, self: true } } }];
    const stack = new Section(S).u64(0).u64(IMG + 0x1250n).padTo(0x100);
    const env = setup({ functions: fns, stack, patches: callBefore(0x250) });
    const walk = await walkAmd64(ctx(IMG + 0x1110n, S), env, { maxFrames: 2 });
    expect(walk.warnings.map((w) => w.kind)).toContain('unwind-chain');
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1250n, sp: S + 0x10n, trust: 'scan' });
  });

  it('unwinds a frame 0 stopped inside an epilog by simulating it', async () => {
    // push rsi; push rbx; sub rsp,28h ... epilog at 30h: add rsp,28h; pop rbx; pop rsi; ret
    const fns: RuntimeFunctionSpec[] = [
      {
        begin: 0x1000,
        end: 0x1040,
        unwind: {
          prologSize: 6,
          codes: [
            { op: 'alloc-small', at: 6, size: 0x28 },
            { op: 'push-nonvol', at: 2, reg: rbx },
            { op: 'push-nonvol', at: 1, reg: rsi },
          ],
        },
      },
      // push rbp; mov rbp,rsp; sub rsp,40h ... epilog at 130h: lea rsp,[rbp+0]; pop rbp; ret
      {
        begin: 0x1100,
        end: 0x1140,
        unwind: {
          prologSize: 8,
          frameRegister: rbp,
          codes: [
            { op: 'alloc-small', at: 8, size: 0x40 },
            { op: 'set-fpreg', at: 4 },
            { op: 'push-nonvol', at: 1, reg: rbp },
          ],
        },
      },
      // push rbx ... epilog at 230h: pop rbx; jmp elsewhere (a tail call)
      { begin: 0x1200, end: 0x1240, unwind: { prologSize: 1, codes: [{ op: 'push-nonvol', at: 1, reg: rbx }] } },
    ];
    const patches = {
      0x030: [0x48, 0x83, 0xc4, 0x28, 0x5b, 0x5e, 0xc3],
      0x130: [0x48, 0x8d, 0x65, 0x00, 0x5d, 0xc3],
      0x230: [0x5b, 0xe9, 0xcb, 0x00, 0x00, 0x00],
    };
    const ret = IMG + 0x1350n;
    // RIP at "pop rbx": the add already ran, RSP points at the saved rbx.
    const a = setup({ functions: fns, patches, stack: new Section(S).u64(0x1b).u64(0x1e).u64(ret).padTo(0x100) });
    const wa = await walkAmd64(ctx(IMG + 0x1034n, S), a, { maxFrames: 2 });
    expect(wa.frames[1]).toMatchObject({ ip: ret, sp: S + 0x18n, trust: 'unwind-info', note: 'unwound from inside an epilog' });
    expect(wa.frames[1]!.registers).toMatchObject({ rbx: 0x1bn, rsi: 0x1en });
    // RIP at "pop rsi".
    const b = setup({ functions: fns, patches, stack: new Section(S).u64(0x1e).u64(ret).padTo(0x100) });
    const wb = await walkAmd64(ctx(IMG + 0x1035n, S, { rbx: 0x77n }), b, { maxFrames: 2 });
    expect(wb.frames[1]).toMatchObject({ ip: ret, sp: S + 0x10n });
    expect(wb.frames[1]!.registers).toMatchObject({ rbx: 0x77n, rsi: 0x1en });
    // RIP at the ret.
    const wc = await walkAmd64(ctx(IMG + 0x1036n, S), setup({ functions: fns, patches, stack: new Section(S).u64(ret).padTo(0x100) }), { maxFrames: 2 });
    expect(wc.frames[1]).toMatchObject({ ip: ret, sp: S + 0x8n });
    // lea rsp,[rbp+0]; pop rbp; ret with RSP still below the frame.
    const d = setup({ functions: fns, patches, stack: new Section(S).padTo(0x40).u64(0xabc0).u64(ret).padTo(0x100) });
    const wd = await walkAmd64(ctx(IMG + 0x1130n, S, { rbp: S + 0x40n }), d, { maxFrames: 2 });
    expect(wd.frames[1]).toMatchObject({ ip: ret, sp: S + 0x50n });
    expect(wd.frames[1]!.registers.rbp).toBe(0xabc0n);
    // pop rbx; jmp out of the function: the tail-called function returns to our caller.
    const e = setup({ functions: fns, patches, stack: new Section(S).u64(0xb8).u64(ret).padTo(0x100) });
    const we = await walkAmd64(ctx(IMG + 0x1230n, S), e, { maxFrames: 2 });
    expect(we.frames[1]).toMatchObject({ ip: ret, sp: S + 0x10n, note: 'unwound from inside an epilog' });
    expect(we.frames[1]!.registers.rbx).toBe(0xb8n);
  });

  it('restores an interrupted context from a machine frame, with and without an error code', async () => {
    const fns: RuntimeFunctionSpec[] = [
      { begin: 0x1000, end: 0x1040, unwind: { prologSize: 0, codes: [{ op: 'push-machframe', at: 0, errorCode: false }] } },
      { begin: 0x1040, end: 0x1080, unwind: { prologSize: 0, codes: [{ op: 'push-machframe', at: 0, errorCode: true }] } },
      // The interrupted function: its RIP is exact, so its own entry applies (not the byte before).
      { begin: 0x1100, end: 0x1140, unwind: { prologSize: 0, codes: [{ op: 'alloc-small', at: 0, size: 0x18 }] } },
    ];
    const frame = (errorCode: boolean) => {
      const st = new Section(S);
      if (errorCode) st.u64(0xe0);
      st.u64(IMG + 0x1100n).u64(0x33).u64(0x246).u64(S + 0x100n).u64(0x2b);
      st.padTo(0x100).u64(IMG + 0x1300n).padTo(0x118).u64(0).padTo(0x200);
      return st;
    };
    for (const [rip, errorCode] of [[IMG + 0x1010n, false], [IMG + 0x1050n, true]] as const) {
      const walk = await walkAmd64(ctx(rip, S), setup({ functions: fns, stack: frame(errorCode) }));
      expect(ips(walk.frames)).toEqual([rip, IMG + 0x1100n]);
      expect(walk.frames[1]).toMatchObject({ sp: S + 0x100n, trust: 'unwind-info', note: 'interrupted context restored from a machine frame' });
      expect(walk.stop).toBe('end-of-stack');
    }
  });

  it('treats a function without an entry as a leaf: the return address is at RSP', async () => {
    const st = new Section(S).u64(IMG + 0x1150n).padTo(0x40);
    const walk = await walkAmd64(ctx(IMG + 0x1390n, S, { rbx: 0x5n }), setup({ functions, stack: st }), { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 8n, trust: 'unwind-info', note: 'leaf function: return address read at RSP' });
    expect(walk.frames[1]!.registers.rbx).toBe(0x5n);
  });

  it('falls back past unreadable unwind info and warns', async () => {
    // The entry points its UnwindData at .text: int3 bytes decode as version 4.
    const fns: RuntimeFunctionSpec[] = [{ begin: 0x1000, end: 0x1080, unwindData: 0x1000 }];
    const st = new Section(S).u64(IMG + 0x1100n).u64(IMG + 0x1150n).padTo(0x100);
    const walk = await walkAmd64(ctx(IMG + 0x1010n, S), setup({ functions: fns, stack: st, patches: callBefore(0x150) }), { maxFrames: 2 });
    expect(walk.warnings[0]).toMatchObject({ kind: 'unwind-info', message: expect.stringMatching(/unknown version 4/) });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 0x10n, trust: 'scan' });
  });
});

describe('amd64 frame pointer and scanning', () => {
  it('follows the RBP chain when the module has no unwind info, if the return address follows a CALL', async () => {
    const st = new Section(S).padTo(0x10).u64(IMG + 0x1250n).padTo(0x40).u64(S + 0x80n).u64(IMG + 0x1150n).padTo(0x100);
    const env = setup({ functions: [], stack: st, patches: { ...callBefore(0x150), ...callBefore(0x250) } });
    const walk = await walkAmd64(ctx(OTHER + 0x500n, S, { rbp: S + 0x40n }), env, { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1150n, sp: S + 0x50n, trust: 'frame-pointer' });
    expect(walk.frames[1]!.registers).toEqual({ rip: IMG + 0x1150n, rsp: S + 0x50n, rbp: S + 0x80n });
  });

  it('rejects an RBP chain whose return address is not after a CALL, and scans instead', async () => {
    const st = new Section(S).padTo(0x10).u64(IMG + 0x1250n).padTo(0x40).u64(S + 0x80n).u64(IMG + 0x1100n).padTo(0x100);
    const env = setup({ functions: [], stack: st, patches: callBefore(0x250) });
    const walk = await walkAmd64(ctx(OTHER + 0x500n, S, { rbp: S + 0x40n }), env, { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1250n, sp: S + 0x18n, trust: 'scan' });
  });

  it('scans for the first value that is in an executable section and follows a CALL', async () => {
    const st = new Section(S)
      .u64(IMG + 0x1100n) // in .text, but the bytes before it are int3
      .u64(IMG + 0x2010n) // in the image, past .text: not executable
      .u64(0x12345) // in no module
      .u64(OTHER + 0x600n) // in a module whose code is unavailable: unverifiable
      .u64(IMG + 0x1262n) // after "call qword ptr [rip+disp32]"
      .u64(IMG + 0x1250n)
      .padTo(0x100);
    const patches = { 0x25c: [0xff, 0x15, 0x00, 0x10, 0x00, 0x00], ...callBefore(0x250) };
    const env = setup({ functions: [], stack: st, patches });
    const walk = await walkAmd64(ctx(OTHER + 0x500n, S), env, { maxFrames: 2 });
    expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x1262n, sp: S + 0x28n, trust: 'scan' });
    expect(walk.frames[1]!.note).toBeUndefined();
    // Accepting unverifiable values (Breakpad's rule) takes the one in the code-less module.
    const loose = await walkAmd64(ctx(OTHER + 0x500n, S), env, { maxFrames: 2, acceptUnverified: true });
    expect(loose.frames[1]).toMatchObject({ ip: OTHER + 0x600n, sp: S + 0x20n, trust: 'scan', note: 'return address not verified: module code not available' });
  });

  it('scans no further than its window and the stack memory', async () => {
    const st = new Section(S).zeros(5 * 8).u64(IMG + 0x1250n).padTo(0x100);
    const env = setup({ functions: [], stack: st, patches: callBefore(0x250) });
    const near = await walkAmd64(ctx(OTHER + 0x500n, S), env, { scanWordsFirst: 5 });
    expect(near.frames).toHaveLength(1);
    expect(near.stop).toBe('no-caller-found');
    const far = await walkAmd64(ctx(OTHER + 0x500n, S), env, { scanWordsFirst: 6, maxFrames: 2 });
    expect(far.frames[1]?.ip).toBe(IMG + 0x1250n);
    // RSP outside any captured memory: nothing to read.
    const lost = await walkAmd64(ctx(OTHER + 0x500n, 0x5000_0000n), env);
    expect(lost.frames).toHaveLength(1);
    expect(lost.stop).toBe('no-caller-found');
  });
});

describe('amd64 scanning without module code (scanWithoutCode)', () => {
  // OTHER has no image anywhere: nothing can check a CALL before an address in it, so only
  // the loose window takes such values. S is 16-byte aligned; a CALL leaves its return address
  // at 8 mod 16.
  const loose = { scanWithoutCode: true, maxFrames: 3 };
  const walk = (st: Section) => walkAmd64(ctx(OTHER + 0x500n, S), setup({ functions: [], stack: st }), loose);

  it('takes a value in a code-less module above frame 0, marked as not verified', async () => {
    const w = await walk(new Section(S).padTo(0x28).u64(OTHER + 0x1600n).padTo(0x200));
    expect(w.frames[1]).toMatchObject({ ip: OTHER + 0x1600n, sp: S + 0x30n, trust: 'scan', note: 'return address not verified: module code not available', unverifiedRun: 1 });
    // The same stack without the option: frame 0 only, as before.
    const strict = await walkAmd64(ctx(OTHER + 0x500n, S), setup({ functions: [], stack: new Section(S).padTo(0x28).u64(OTHER + 0x1600n).padTo(0x200) }));
    expect(strict.frames).toHaveLength(1);
  });

  it('skips the 32-byte home area above a frame reached through a return address', async () => {
    // Frame 1 at slot 0x28 (SP 0x30); [0x30, 0x50) is its home area: a value at 0x38 is skipped.
    const w = await walk(new Section(S).padTo(0x28).u64(OTHER + 0x1600n).padTo(0x38).u64(OTHER + 0x2700n).padTo(0x58).u64(OTHER + 0x3800n).padTo(0x200));
    expect(w.frames.map((f) => f.ip)).toEqual([OTHER + 0x500n, OTHER + 0x1600n, OTHER + 0x3800n]);
  });

  it('takes no value at a slot a CALL could not have left it at (0 mod 16)', async () => {
    const w = await walk(new Section(S).padTo(0x28).u64(OTHER + 0x1600n).padTo(0x50).u64(OTHER + 0x2700n).u64(OTHER + 0x3800n).padTo(0x200));
    expect(w.frames.map((f) => f.ip)).toEqual([OTHER + 0x500n, OTHER + 0x1600n, OTHER + 0x3800n]);
  });

  it('takes no value in a module’s first page, where its PE headers are (a module handle)', async () => {
    const w = await walk(new Section(S).u64(OTHER).u64(OTHER + 0xfffn).padTo(0x28).u64(OTHER + 0x1000n).padTo(0x200));
    expect(w.frames[1]).toMatchObject({ ip: OTHER + 0x1000n, sp: S + 0x30n });
  });

  it('checks the section when only the module’s headers are in the dump', async () => {
    // HDR: headers captured (as some dumps do for every module), code not. A value in its .rdata
    // is no return address; one in its .text can only be taken as a guess.
    const HDR = 0x7ff8_0000_0000n;
    const image = buildPe({ machine: 'amd64', imageBase: HDR, text: { size: 0x400 } });
    const st = new Section(S).u64(HDR + 0x2010n).padTo(0x28).u64(HDR + 0x1100n).padTo(0x200);
    const env = makeEnv(
      [
        { base: HDR, bytes: image.mapped[0]!.bytes },
        { base: S, bytes: st.toBytes() },
      ],
      [{ name: 'C:\\app\\hdr.dll', base: HDR, size: BigInt(image.sizeOfImage) }],
    );
    const w = await walkAmd64(ctx(HDR + 0x1050n, S), env, loose);
    expect(w.frames[1]).toMatchObject({ ip: HDR + 0x1100n, sp: S + 0x30n, trust: 'scan', note: 'return address not verified: module code not available' });
  });

  it('looks no further than its window: 160 words above frame 0, 40 above the home area after', async () => {
    const far = new Section(S).padTo(160 * 8).u64(OTHER + 0x1600n).padTo(0x800);
    expect((await walk(far)).frames).toHaveLength(1);
    const near = new Section(S).padTo(159 * 8).u64(OTHER + 0x1600n).padTo(0x800);
    expect((await walk(near)).frames).toHaveLength(2);
    // After frame 1 (SP S+0x30): the window is [S+0x50, S+0x50+40 words).
    const second = (at: number) => new Section(S).padTo(0x28).u64(OTHER + 0x1600n).padTo(at).u64(OTHER + 0x2700n).padTo(0x800);
    expect((await walk(second(0x50 + 39 * 8))).frames).toHaveLength(3);
    expect((await walk(second(0x50 + 40 * 8))).frames).toHaveLength(2);
  });

  it('still prefers nothing over a value whose bytes deny a CALL, and takes a checked one where the window ends', async () => {
    // IMG's code is known: IMG+0x1100 follows int3 bytes (rejected outright); IMG+0x1250 follows a
    // CALL, so it is taken even past the loose window, from the ordinary scan's.
    const st = new Section(S).padTo(0x28).u64(IMG + 0x1100n).padTo(0x600).u64(IMG + 0x1250n).padTo(0x800);
    const w = await walkAmd64(ctx(OTHER + 0x500n, S), setup({ functions: [], stack: st, patches: callBefore(0x250) }), loose);
    expect(w.frames[1]).toMatchObject({ ip: IMG + 0x1250n, sp: S + 0x608n, trust: 'scan' });
    expect(w.frames[1]!.note).toBeUndefined();
  });

  it('does not guess past a frame whose unwind data exists', async () => {
    // IMG+0x1040 lies in a function with unwind info whose return slot is not in the dump: the
    // loose scan is not opened for it, and the code-less value above is left alone.
    const fns: RuntimeFunctionSpec[] = [{ begin: 0x1000, end: 0x1080, unwind: { prologSize: 4, codes: [{ op: 'alloc-large', at: 4, size: 0x10000 }] } }];
    const st = new Section(S).padTo(0x28).u64(OTHER + 0x1600n).padTo(0x200);
    const w = await walkAmd64(ctx(IMG + 0x1040n, S), setup({ functions: fns, stack: st }), loose);
    expect(w.frames).toHaveLength(1);
  });
});

describe('amd64 walk protections', () => {
  it('stops at the frame cap on deep recursion', async () => {
    // FR: sub rsp,8; call FR — every frame is 16 bytes and returns to 0x1020.
    const fns: RuntimeFunctionSpec[] = [{ begin: 0x1000, end: 0x1040, unwind: { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 8 }] } }];
    const st = new Section(S);
    for (let i = 0; i < 400; i++) st.u64(0).u64(IMG + 0x1020n);
    const walk = await walkAmd64(ctx(IMG + 0x1020n, S), setup({ functions: fns, stack: st, patches: callBefore(0x20) }), { maxFrames: 10 });
    expect(walk.frames).toHaveLength(10);
    expect(walk.stop).toBe('cap-frames');
    expect(walk.warnings.map((w) => w.kind)).toContain('cap-frames');
    const all = await walkAmd64(ctx(IMG + 0x1020n, S), setup({ functions: fns, stack: st, patches: callBefore(0x20) }));
    expect(all.frames).toHaveLength(256);
  });

  it('refuses a caller that would not move up the stack', async () => {
    const fns: RuntimeFunctionSpec[] = [{ begin: 0x1000, end: 0x1040, unwind: { prologSize: 0, codes: [{ op: 'push-machframe', at: 0, errorCode: false }] } }];
    // The machine frame claims the interrupted RSP is below the current one.
    const st = new Section(S + 0x100n).u64(IMG + 0x1020n).u64(0x33).u64(0x246).u64(S).u64(0x2b).padTo(0x100);
    const walk = await walkAmd64(ctx(IMG + 0x1010n, S + 0x100n), setup({ functions: fns, stack: st }));
    expect(walk.frames).toHaveLength(1);
    expect(walk.stop).toBe('cycle');
    expect(walk.stopMessage).toMatch(/would not move up the stack/);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const st = new Section(S).u64(IMG + 0x1150n).padTo(0x40);
    const walk = await walkAmd64(ctx(IMG + 0x1390n, S), setup({ functions: [], stack: st }), { signal: controller.signal });
    expect(walk.stop).toBe('cancelled');
  });
});


  describe('unwind info after a scanned frame, whose RBP is a guess', () => {
    // FP: push rbp; sub rsp,30h; lea rbp,[rsp+20h] (a frame-pointer function, as clang -O0
    // builds them). Its true frame: body RSP S+10h, saved rbp at S+40h, return at S+48h.
    const fns: RuntimeFunctionSpec[] = [
      {
        begin: 0x1200,
        end: 0x1300,
        unwind: {
          prologSize: 13,
          frameRegister: rbp,
          frameOffset: 0x20,
          codes: [
            { op: 'set-fpreg', at: 13 },
            { op: 'alloc-small', at: 8, size: 0x30 },
            { op: 'push-nonvol', at: 1, reg: rbp },
          ],
        },
      },
    ];
    // A stale RBP (S+400h, left by code that ran before) makes the unwind read S+418h, which
    // holds a pointer into the image's data, past .text.
    const stack = (): Section =>
      new Section(S)
        .padTo(0x08)
        .u64(IMG + 0x1250n) // frame 0's return address, into FP
        .padTo(0x40)
        .u64(S + 0x100n) // FP's saved rbp
        .u64(IMG + 0x1150n) // FP's return address
        .padTo(0x410)
        .u64(0x4444)
        .u64(IMG + 0x2010n)
        .padTo(0x500);
    const patches = { ...callBefore(0x150), ...callBefore(0x250) };

    it('refuses a caller in no code and scans on, from a frame found by scanning', async () => {
      const walk = await walkAmd64(ctx(OTHER + 0x500n, S, { rbp: S + 0x400n }), setup({ functions: fns, stack: stack(), patches }), { maxFrames: 3 });
      expect(walk.frames.map((f) => [f.ip, f.sp, f.trust])).toEqual([
        [OTHER + 0x500n, S, 'context'],
        [IMG + 0x1250n, S + 0x10n, 'scan'],
        [IMG + 0x1150n, S + 0x50n, 'scan'],
      ]);
    });

    it('still shows what the unwind info gives from exact registers: a smashed frame is evidence', async () => {
      const walk = await walkAmd64(ctx(IMG + 0x1260n, S + 0x10n, { rbp: S + 0x400n }), setup({ functions: fns, stack: stack(), patches }), { maxFrames: 2 });
      expect(walk.frames[1]).toMatchObject({ ip: IMG + 0x2010n, sp: S + 0x420n, trust: 'unwind-info' });
    });
  });
describe('amd64 frames in the dump model', () => {
  it('names frames from exports, WinDbg style, and fills the return-address column', async () => {
    const fns: RuntimeFunctionSpec[] = [{ begin: 0x1000, end: 0x1080, unwind: { prologSize: 4, codes: [{ op: 'alloc-small', at: 4, size: 0x28 }] } }];
    const st = new Section(S).padTo(0x28).u64(IMG + 0x1150n).u64(0).padTo(0x100);
    const env = setup({
      functions: fns,
      stack: st,
      exports: [
        { name: 'DoWork', rva: 0x1000 },
        { name: 'Helper', rva: 0x1100 },
      ],
    });
    const walk = await walkAmd64(ctx(IMG + 0x101dn, S), env);
    const frames = await toModelFrames(walk, env);
    expect(frames).toEqual([
      { index: 0, address: '0x7ff61000101d', sp: '0x100000', retAddr: '0x7ff610001150', module: 'test', symbol: 'DoWork', offset: '0x1d', trust: 'context' },
      { index: 1, address: '0x7ff610001150', sp: '0x100030', retAddr: null, module: 'test', symbol: 'Helper', offset: '0x50', trust: 'unwind-info' },
    ]);
    for (const f of frames) expect(Frame.safeParse(f).success).toBe(true);
  });
});
