// Two banner details a reader meets in real sessions: a register dump between the event line
// and the faulting instruction, and the debugger's "Dump file has been truncated" warning.
import { describe, expect, it } from 'vitest';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';

const EVENT_WITH_REGISTERS = `(9c4.d2c): Break instruction exception - code 80000003 (first/second chance not available)
eax=7ffdd000 ebx=00000001 ecx=00000002 edx=00000003 esi=00000004 edi=00000005
eip=7c90120e esp=0229ffcc ebp=0229fff4 iopl=0         nv up ei pl zr na pe nc
cs=001b  ss=0023  ds=0023  es=0023  fs=0038  gs=0000             efl=00000246
ntdll!DbgBreakPoint:
7c90120e cc              int     3
`;

describe('WinDbg banner details', () => {
  it('reads the faulting instruction after a register dump', () => {
    const model = readWindbgText(EVENT_WITH_REGISTERS, 'breakin.txt');
    expect(model.exception).toMatchObject({ code: '0x80000003', address: '0x7c90120e', symbol: 'DbgBreakPoint' });
  });

  it('turns the truncation warning into a dump-truncated warning', () => {
    const model = readWindbgText(
      `Loading Dump File [C:\\x.dmp]\nUser Mini Dump File: Only registers, stack and portions of memory are available\n\nWARNING: Dump file has been truncated.  Data may be missing.\n`,
      'cut.txt',
    );
    expect(model.warnings).toContainEqual({ kind: 'dump-truncated', message: expect.stringMatching(/truncated/) });
  });
});
