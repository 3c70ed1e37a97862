// Crashpad, Breakpad-Linux and macOS dumps: the non-Windows streams.
import { describe, expect, it } from 'vitest';
import { openMinidump } from '../../../src/engine/minidump/minidump.ts';
import { StreamType } from '../../../src/engine/minidump/stream-types.ts';
import { corpusSource } from './support/corpus.ts';

describe('breakpad/minidump_crashpad_annotation.dmp', () => {
  it('recognises the Crashpad info stream and reads its annotations', async () => {
    const md = await openMinidump(corpusSource('breakpad/minidump_crashpad_annotation.dmp'));
    expect(md.stream(StreamType.CrashpadInfo)?.name).toBe('CrashpadInfoStream');
    const info = (await md.crashpadInfo())!;
    expect(info.version).toBe(1);
    expect(info.reportId).toBe('725058a6-7289-480f-8a41-517bd0ba216b');
    expect(info.simpleAnnotations).toEqual({ crashpad: 'yes', plat: 'iOS', prod: 'xcuitest', ver: '1' });
    const m1 = info.modules.find((m) => m.moduleIndex === 1)!;
    const byName = Object.fromEntries(m1.annotationObjects.map((a) => [a.name, a.value]));
    expect(byName['exceptionName']).toBe('NSRangeException');
    expect(byName['exceptionReason']).toBe('*** -[__NSArray0 objectAtIndex:]: index 42 beyond bounds for empty NSArray');
    const counter = m1.annotationObjects.find((a) => a.name === 'CounterAnnotation')!;
    expect(counter.type).toBeGreaterThanOrEqual(0x8000);
    expect(counter.value).toBeInstanceOf(Uint8Array);
    const m100 = info.modules.find((m) => m.moduleIndex === 100)!;
    expect(m100.listAnnotations[0]).toMatch(/^CoreSimulator 857\.14/);
    expect((await md.threads())!.length).toBe(7);
    const names = (await md.threadNames())!;
    expect(names.length).toBe(7);
    expect(names.find((n) => n.threadId === 4779406)?.name).toBe('com.apple.uikit.eventfetch-thread');
    expect((await md.modules())!.length).toBe(354);
  });
});

describe('rust-minidump/simple-crashpad.dmp', () => {
  it('reads process and module annotations', async () => {
    const md = await openMinidump(corpusSource('rust-minidump/simple-crashpad.dmp'));
    const info = (await md.crashpadInfo())!;
    expect(info.simpleAnnotations).toEqual({ hello: 'world' });
    expect(info.modules.map((m) => [m.moduleIndex, m.listAnnotations])).toEqual([
      [16, ['abort() called']],
      [39, ['dyld2 mode']],
    ]);
    expect((await md.systemInfo())!.platform).toBe('macos');
  });
});

describe('rust-minidump/linux-mini.dmp (Breakpad Linux streams)', () => {
  it('reads system info and the Linux text streams', async () => {
    const md = await openMinidump(corpusSource('rust-minidump/linux-mini.dmp'));
    const si = (await md.systemInfo())!;
    expect(si.platform).toBe('linux');
    expect(si.arch).toBe('amd64');
    expect(si.numberOfProcessors).toBe(4);
    // reference/breakpad/linux-mini.dmp.txt: "0.0.0 Linux 4.9.60-linuxkit-aufs #1 SMP …"
    expect(si.csdVersion).toBe('Linux 4.9.60-linuxkit-aufs #1 SMP Mon Nov 6 16:00:12 UTC 2017 x86_64');
    expect(await md.linuxLsbRelease()).toEqual({
      DISTRIB_ID: 'Ubuntu',
      DISTRIB_RELEASE: '16.04',
      DISTRIB_CODENAME: 'xenial',
      DISTRIB_DESCRIPTION: 'Ubuntu 16.04.3 LTS',
    });
    expect(await md.linuxText('cmdline')).toBe('./crash\0');
    expect(await md.linuxText('cpuinfo')).toMatch(/^processor\s+: 0/m);
    expect(await md.linuxText('proc-status')).toMatch(/^Name:\s+crash/m);
    const maps = (await md.linuxMaps())!;
    expect(maps[0]).toMatchObject({ start: 0x400000n, end: 0x41a000n, perms: 'r-xp', path: '/work/linux/build/crash' });
    expect(maps.some((m) => m.path === '[stack]')).toBe(true);
    // A Mozilla stream this reader does not decode is still listed.
    expect(md.streams.at(-1)?.name).toBe('MozLinuxLimits');
    const ex = (await md.exception())!;
    expect(ex.code).toBe(11); // SIGSEGV
    expect(ex.address).toBe(0x45n);
    const modules = (await md.modules())!;
    const cv = modules[0]!.codeView;
    expect(cv?.kind).toBe('elf');
    const ctx = (await md.threadContext((await md.threads())![0]!))!;
    expect(ctx.arch).toBe('amd64');
  });
});

describe('rust-minidump/invalid-parameter.dmp', () => {
  it('reads Breakpad’s assertion info stream', async () => {
    const md = await openMinidump(corpusSource('rust-minidump/invalid-parameter.dmp'));
    const a = (await md.assertionInfo())!;
    expect(a.type).toBe(1); // invalid parameter
    expect(md.warnings).toEqual([]);
  });
});
