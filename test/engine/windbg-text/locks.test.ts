import { describe, expect, it } from 'vitest';
import { MAX_LOCKS } from '../../../src/engine/windbg-text/lock-book.ts';
import { parseLockCount, parseLockLine } from '../../../src/engine/windbg-text/locks.ts';
import { readWindbgText } from '../../../src/engine/windbg-text/reader.ts';

describe('parseLockLine', () => {
  it('reads the !locks section header, with and without a symbol', () => {
    expect(parseLockLine('CritSec ntdll!LdrpLoaderLock+0 at 77fc4020')).toEqual({ kind: 'section', address: 0x77fc4020n, name: 'ntdll!LdrpLoaderLock' });
    expect(parseLockLine('CritSec SMTPSVC+66a30 at 67906A30')).toEqual({ kind: 'section', address: 0x67906a30n, name: 'SMTPSVC+66a30' });
    expect(parseLockLine('CritSec +7c97e178 at 7c97e178')).toEqual({ kind: 'section', address: 0x7c97e178n, name: null });
    expect(parseLockLine('CritSec App!g_lock+0 at 00000000`0042f4a0')).toEqual({ kind: 'section', address: 0x42f4a0n, name: 'App!g_lock' });
  });

  it('reads the !cs header and its owner lines', () => {
    expect(parseLockLine('Critical section   = 0x0044b0e8 (TileCache!g_cacheLock+0x0)')).toEqual({ kind: 'section', address: 0x44b0e8n, name: 'TileCache!g_cacheLock' });
    expect(parseLockLine('Critical section   = 0x00403370')).toEqual({ kind: 'section', address: 0x403370n, name: null });
    expect(parseLockLine('OwningThread DbgId = ~3s')).toEqual({ kind: 'owner-ordinal', ordinal: 3 });
    expect(parseLockLine('OwningThread Stack =')).toEqual({ kind: 'owner-stack' });
  });

  it('reads field lines in both layouts, and the markers', () => {
    expect(parseLockLine('OwningThread       1a2c')).toEqual({ kind: 'field', field: 'OwningThread', value: '1a2c' });
    expect(parseLockLine('OwningThread       = 0x00001a2c')).toEqual({ kind: 'field', field: 'OwningThread', value: '0x00001a2c' });
    expect(parseLockLine('ContentionCount    1')).toEqual({ kind: 'field', field: 'ContentionCount', value: '1' });
    expect(parseLockLine('WaiterWoken        No')).toEqual({ kind: 'field', field: 'WaiterWoken', value: 'No' });
    expect(parseLockLine('*** Locked')).toEqual({ kind: 'locked', locked: true });
    expect(parseLockLine('LOCKED')).toEqual({ kind: 'locked', locked: true });
    expect(parseLockLine('NOT LOCKED')).toEqual({ kind: 'locked', locked: false });
    expect(parseLockLine('Scanned 41 critical sections')).toEqual({ kind: 'scanned' });
    expect(parseLockLine('-----------------------------------------')).toEqual({ kind: 'separator' });
    expect(parseLockLine('The lock count was 1')).toBeNull();
    expect(parseLockLine('CritSec at nowhere')).toBeNull();
  });

  it('reads counts as hex, signed', () => {
    expect(parseLockCount('1a2c')).toBe(0x1a2c);
    expect(parseLockCount('0x00001a2c')).toBe(0x1a2c);
    expect(parseLockCount('-1')).toBe(-1);
    expect(parseLockCount('0x-2')).toBe(-2);
    expect(parseLockCount('No')).toBeNull();
  });
});

const locksLog = `0:000> ~*kb

.  0  Id: 15a8.1614 Suspend: 0 Teb: 7ffdf000 Unfrozen
ChildEBP RetAddr  Args to Child              
0012fb9c 77c66a24 77c82264 000000f8 00000000 ntdll!KiFastSystemCallRet
0012fba0 77c82264 000000f8 00000000 00000000 ntdll!NtWaitForSingleObject+0xc

   3  Id: 15a8.1a2c Suspend: 0 Teb: 7ffdc000 Unfrozen
ChildEBP RetAddr  Args to Child              
0257fa0c 00401b3e 00000001 0257fa38 00000001 App!Work+0x1c
0:000> !locks -v

CritSec ntdll!LdrpLoaderLock+0 at 77fc4020
WaiterWoken        No
LockCount          1
RecursionCount     1
OwningThread       1a2c
EntryCount         0
ContentionCount    1
*** Locked

CritSec App!g_free+0 at 0042f500
WaiterWoken        No
LockCount          -1
RecursionCount     0
OwningThread       0
EntryCount         0
ContentionCount    0

Scanned 12 critical sections
0:000> !cs -l -o
-----------------------------------------
DebugInfo          = 0x00152a40
Critical section   = 0x0042f4a0 (App!g_journal+0x0)
LOCKED
LockCount          = 0x2
WaiterWoken        = No
OwningThread       = 0x00001a2c
RecursionCount     = 0x1
LockSemaphore      = 0x110
SpinCount          = 0x00000000
OwningThread DbgId = ~3s
OwningThread Stack =
	ChildEBP RetAddr  Args to Child              
	0257fa0c 00401b3e 00000001 0257fa38 00000001 App!Work+0x1c
-----------------------------------------
DebugInfo          = 0x00152a68
Critical section   = 0x77fc4020 (ntdll!LdrpLoaderLock+0x0)
LOCKED
LockCount          = 0x1
OwningThread       = 0x00001a2c
RecursionCount     = 0x1
LockSemaphore      = 0x10C
SpinCount          = 0x00000000
`;

describe('!locks and !cs in a log', () => {
  const model = readWindbgText(locksLog, 'locks.txt');

  it('puts each section into the model once, merged by address', () => {
    expect(model.locks).toEqual([
      { address: '0x77fc4020', name: 'ntdll!LdrpLoaderLock', ownerThreadId: 0x1a2c, lockCount: 1, recursionCount: 1, contention: 1 },
      { address: '0x42f500', name: 'App!g_free', ownerThreadId: null, lockCount: -1, recursionCount: 0, contention: 0 },
      { address: '0x42f4a0', name: 'App!g_journal', ownerThreadId: 0x1a2c, lockCount: 2, recursionCount: 1, contention: null },
    ]);
  });

  it('does not read the owner stack !cs -o prints as the current thread’s frames', () => {
    expect(model.threads.map((t) => [t.id, t.frames.length])).toEqual([
      [0x1614, 2],
      [0x1a2c, 1],
    ]);
  });

  it('keeps the current thread’s stack when the owner stack follows the prompt', () => {
    const m = readWindbgText(
      [
        '0:000> ~*kb',
        '',
        '.  0  Id: 15a8.1614 Suspend: 0 Teb: 7ffdf000 Unfrozen',
        'ChildEBP RetAddr  Args to Child              ',
        '0012fb9c 77c66a24 77c82264 000000f8 00000000 ntdll!KiFastSystemCallRet',
        '0:000> !cs -l -o',
        '-----------------------------------------',
        'Critical section   = 0x0042f4a0 (App!g_journal+0x0)',
        'LOCKED',
        'OwningThread       = 0x00001a2c',
        'OwningThread Stack =',
        '\tChildEBP RetAddr  Args to Child              ',
        '\t0257fa0c 00401b3e 00000001 0257fa38 00000001 App!Work+0x1c',
        '\t0257fa1c 00401c3e 00000001 0257fa38 00000001 App!Main+0x1c',
        '',
      ].join('\n'),
      'owner-stack.txt',
    );
    expect(m.threads.map((t) => [t.id, t.frames.map((f) => f.symbol)])).toEqual([[0x1614, ['KiFastSystemCallRet']]]);
    expect(m.locks?.[0]?.ownerThreadId).toBe(0x1a2c);
  });

  it('takes the owner from DbgId when OwningThread is missing', () => {
    const m = readWindbgText(
      `0:000> ~*k\n\n   3  Id: 15a8.1a2c Suspend: 0 Teb: 7ffdc000 Unfrozen\nChildEBP RetAddr  \n0257fa0c 00401b3e App!Work+0x1c\n0:000> !cs -l\n-----------------------------------------\nCritical section   = 0x0042f4a0 (App!g_journal+0x0)\nLOCKED\nLockCount          = 0x1\nOwningThread DbgId = ~3s\n`,
      'dbgid.txt',
    );
    expect(m.locks?.[0]?.ownerThreadId).toBe(0x1a2c);
  });

  it('leaves locks unset when the log printed none, and ignores stray field lines', () => {
    const m = readWindbgText('0:000> k\nChildEBP RetAddr  \n0012fb9c 77c66a24 ntdll!KiFastSystemCallRet\nLockCount          1\nOwningThread       1a2c\n', 'none.txt');
    expect(m.locks).toBeUndefined();
  });

  it('stops at the cap with one warning', () => {
    const block = (i: number) => `CritSec App!g_lock${i}+0 at ${(0x100000 + i * 0x18).toString(16)}\nLockCount          0\nOwningThread       1a2c\n*** Locked\n`;
    const text = ['0:000> !locks', ...Array.from({ length: MAX_LOCKS + 5 }, (_, i) => block(i))].join('\n');
    const m = readWindbgText(text, 'many.txt');
    expect(m.locks).toHaveLength(MAX_LOCKS);
    expect(m.warnings.filter((w) => w.kind === 'cap-locks')).toHaveLength(1);
  });
});
