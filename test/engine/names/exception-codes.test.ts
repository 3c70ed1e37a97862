import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeCode } from '../../../src/engine/names/exception-codes.ts';

describe('describeCode', () => {
  it('names the NTSTATUS exception codes a crash shows', () => {
    const cases: Array<[number, string, RegExp]> = [
      [0xc0000005, 'STATUS_ACCESS_VIOLATION', /access violation/i],
      [0xc0000374, 'STATUS_HEAP_CORRUPTION', /heap corruption/i],
      [0xc0000409, 'STATUS_STACK_BUFFER_OVERRUN', /fail-fast/i],
      [0xc00000fd, 'STATUS_STACK_OVERFLOW', /stack overflow/i],
      [0xc0000094, 'STATUS_INTEGER_DIVIDE_BY_ZERO', /division by zero/i],
      [0xc0000008, 'STATUS_INVALID_HANDLE', /invalid handle/i],
      [0x80000003, 'STATUS_BREAKPOINT', /breakpoint/i],
      [0xc000001d, 'STATUS_ILLEGAL_INSTRUCTION', /illegal instruction/i],
      [0xc0000420, 'STATUS_ASSERTION_FAILURE', /assertion/i],
      [0x40010006, 'DBG_PRINTEXCEPTION_C', /OutputDebugStringA/],
      [0x4001000a, 'DBG_PRINTEXCEPTION_WIDE_C', /OutputDebugStringW/],
      [0xc0000602, 'STATUS_FAIL_FAST_EXCEPTION', /fail-fast/i],
      [0xc000027b, 'STATUS_STOWED_EXCEPTION', /Windows Runtime/],
    ];
    for (const [code, name, desc] of cases) {
      const d = describeCode(code);
      expect(d.kind, name).toBe('ntstatus');
      expect(d.name).toBe(name);
      expect(d.description).toMatch(desc);
    }
  });

  it('keeps NTSTATUS names that have no hand-written description', () => {
    const d = describeCode(0xc0000135);
    expect(d).toEqual({ kind: 'ntstatus', name: 'STATUS_DLL_NOT_FOUND', description: expect.stringMatching(/DLL/) });
    const bare = describeCode(0xc0000043);
    expect(bare.name).toBe('STATUS_SHARING_VIOLATION');
    expect(bare.kind).toBe('ntstatus');
  });

  it('reads small codes as Win32 errors', () => {
    expect(describeCode(0x6d9)).toEqual({
      kind: 'win32',
      name: 'EPT_S_NOT_REGISTERED',
      description: 'There are no more endpoints available from the endpoint mapper.',
    });
    expect(describeCode(5).name).toBe('ERROR_ACCESS_DENIED');
    expect(describeCode(0x102).name).toBe('WAIT_TIMEOUT');
    expect(describeCode(10054)).toMatchObject({ kind: 'win32', name: 'WSAECONNRESET' });
  });

  it('unwraps HRESULTs of FACILITY_WIN32 and names the rest', () => {
    expect(describeCode(0x80070005)).toEqual({ kind: 'hresult', name: 'E_ACCESSDENIED', description: 'Access is denied.' });
    expect(describeCode(0x800706d9)).toEqual({
      kind: 'hresult',
      name: 'HRESULT_FROM_WIN32(EPT_S_NOT_REGISTERED)',
      description: 'There are no more endpoints available from the endpoint mapper.',
    });
    expect(describeCode(0x80004005)).toEqual({ kind: 'hresult', name: 'E_FAIL', description: 'Unspecified failure.' });
    expect(describeCode(0x8001010e)).toMatchObject({ kind: 'hresult', name: 'RPC_E_WRONG_THREAD' });
    expect(describeCode(0xd0000005)).toMatchObject({ kind: 'hresult', name: 'HRESULT_FROM_NT(STATUS_ACCESS_VIOLATION)' });
  });

  it('knows the runtime conventions', () => {
    expect(describeCode(0xe06d7363)).toMatchObject({ kind: 'cpp', description: expect.stringContaining('C++ exception (Microsoft C++ EH)') });
    expect(describeCode(0xe0434352)).toMatchObject({ kind: 'clr', name: 'EXCEPTION_COMPLUS' });
    expect(describeCode(0xe0434f4d)).toMatchObject({ kind: 'clr', name: 'EXCEPTION_COMPLUS' });
    expect(describeCode(0x406d1388)).toMatchObject({ kind: 'cpp', name: 'MS_VC_EXCEPTION' });
    expect(describeCode(0xc06d007e).description).toMatch(/DLL could not be found/);
    expect(describeCode(0xc06d007f).description).toMatch(/function was not found/);
  });

  it('accepts negative (signed) inputs and says unknown when nothing matches', () => {
    expect(describeCode(-1073741819).name).toBe('STATUS_ACCESS_VIOLATION');
    expect(describeCode(0xe0001234)).toEqual({ kind: 'unknown', name: null, description: null });
  });

  it('keeps the generated data small enough for a lazy browser chunk', () => {
    const data = readFileSync(new URL('../../../src/engine/names/exception-codes.data.ts', import.meta.url));
    expect(gzipSync(data).length).toBeLessThan(80 * 1024);
    expect(data.toString()).toContain('public domain');
  });
});
