import { describe, expect, it } from 'vitest';
import type { Frame, Thread } from '../../../src/engine/core/dump-model.ts';
import { stackWait, threadWait } from '../../../src/detectors/lib/wait-functions.ts';
import { moduleKey } from '../../../src/detectors/lib/system-modules.ts';

function frames(...sites: (string | [string, string[]])[]): Frame[] {
  return sites.map((s, index) => {
    const [site, args] = typeof s === 'string' ? [s, undefined] : s;
    const m = /^([^!+]+)(?:!([^+]+))?(?:\+(0x[0-9a-f]+))?$/.exec(site)!;
    const f: Frame = {
      index,
      address: `0x${(0x1000 + index).toString(16)}`,
      sp: null,
      retAddr: null,
      module: m[1]!,
      symbol: m[2] ?? null,
      offset: m[3] ?? '0x0',
      trust: 'text',
    };
    if (args) f.args = args;
    return f;
  });
}

function thread(id: number, native: Frame[], x86?: Frame[]): Thread {
  const t: Thread = { id, ordinal: 0, name: null, teb: null, suspendCount: null, frozen: null, priority: null, faulting: false, times: null, frames: native, framesNote: null };
  if (x86) t.x86Frames = x86;
  return t;
}

describe('stackWait', () => {
  it('names a critical-section wait by the API the program called, with the section from kb', () => {
    const w = stackWait(1, 'native', frames(
      'ntdll!KiFastSystemCallRet',
      'ntdll!NtWaitForSingleObject+0xc',
      ['ntdll!RtlpWaitOnCriticalSection+0x13e', ['0x42f4a0', '0x2', '0x12fc40']],
      'ntdll!RtlEnterCriticalSection+0x150',
      'App!CJournal::Append+0x1e',
    ))!;
    expect(w.kind).toBe('critical-section');
    expect(w.idle).toBe(false);
    expect(w.key.symbol).toBe('RtlEnterCriticalSection');
    expect(w.caller?.symbol).toBe('CJournal::Append');
    expect(w.waitFrames).toEqual([1, 2, 3]);
    expect(w.lockAddress).toBe('0x42f4a0');
  });

  it('treats a thread-pool worker waiting for work as idle', () => {
    const w = stackWait(2, 'native', frames('ntdll!NtWaitForWorkViaWorkerFactory+0x14', 'ntdll!TppWorkerThread+0x2ee', 'KERNEL32!BaseThreadInitThunk+0x14', 'ntdll!RtlUserThreadStart+0x21'))!;
    expect(w.kind).toBe('thread-pool');
    expect(w.idle).toBe(true);
    expect(w.caller).toBeNull();
  });

  it('does not call a thread that is raising an exception inside an RPC stub a waiter', () => {
    const w = stackWait(3, 'x86', frames('kernel32!RaiseException+0x53', 'rpcrt4!RpcpRaiseException+0x24', 'rpcrt4!NdrGetBuffer+0x46', 'rpcrt4!NdrClientCall2+0x197', 'hnetcfg!FwOpenDynamicFwPort+0x1d'));
    expect(w).toBeNull();
  });

  it('ignores a name far from its symbol (the nearest export of some other function)', () => {
    expect(stackWait(4, 'native', frames('ntdll!NtWaitForSingleObject+0x52e0', 'App!Main+0x10'))).toBeNull();
  });

  it('reads the 32-bit stack of a WOW64 thread first', () => {
    const t = thread(
      5,
      frames('wow64cpu!CpupSyscallStub+0x9', 'wow64!RunCpuSimulation+0xa'),
      frames('user32!NtUserGetMessage+0x15', 'App+0x2f13b', 'kernel32!BaseThreadStart+0x34'),
    );
    const w = threadWait(t)!;
    expect(w.view).toBe('x86');
    expect(w.kind).toBe('message-loop');
    expect(w.caller?.module).toBe('App');
  });
});

describe('moduleKey', () => {
  it('drops the base WinDbg appends to a second copy of a module', () => {
    expect(moduleKey('ntdll_7d600000')).toBe('ntdll');
    expect(moduleKey('KERNELBASE.dll')).toBe('kernelbase');
  });
});
