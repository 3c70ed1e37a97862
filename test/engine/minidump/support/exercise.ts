// Calls every accessor of a Minidump the way a model builder would, catching DumpError per
// stream; anything else thrown is a bug and escapes.
import type { Minidump } from '../../../../src/engine/minidump/minidump.ts';
import { DumpError } from '../../../../src/engine/core/errors.ts';

export interface Exercised {
  ok: string[];
  failed: Array<{ accessor: string; kind: string; message: string }>;
}

export async function exercise(md: Minidump): Promise<Exercised> {
  const result: Exercised = { ok: [], failed: [] };
  const attempt = async (accessor: string, fn: () => Promise<unknown>): Promise<unknown> => {
    try {
      const v = await fn();
      if (v !== null) result.ok.push(accessor);
      return v;
    } catch (err) {
      if (!(err instanceof DumpError)) throw err;
      expect1Line(err.message);
      result.failed.push({ accessor, kind: err.kind, message: err.message });
      return null;
    }
  };
  await attempt('systemInfo', () => md.systemInfo());
  const threads = (await attempt('threads', () => md.threads())) as Awaited<ReturnType<Minidump['threads']>>;
  await attempt('threadsEx', () => md.threadsEx());
  await attempt('modules', () => md.modules());
  await attempt('unloadedModules', () => md.unloadedModules());
  await attempt('exception', () => md.exception());
  await attempt('exceptionContext', () => md.exceptionContext());
  await attempt('memoryList', () => md.memoryList());
  await attempt('memory64List', () => md.memory64List());
  await attempt('memoryInfo', () => md.memoryInfo());
  await attempt('threadInfo', () => md.threadInfo());
  await attempt('handles', () => md.handles());
  await attempt('miscInfo', () => md.miscInfo());
  await attempt('comment', () => md.comment());
  await attempt('threadNames', () => md.threadNames());
  await attempt('breakpadInfo', () => md.breakpadInfo());
  await attempt('assertionInfo', () => md.assertionInfo());
  await attempt('crashpadInfo', () => md.crashpadInfo());
  for (const kind of ['cpuinfo', 'proc-status', 'lsb-release', 'cmdline', 'environ', 'maps'] as const) {
    await attempt(`linux:${kind}`, () => md.linuxText(kind));
  }
  await attempt('linuxMaps', () => md.linuxMaps());
  const mem = await md.memory();
  for (const t of (threads ?? []).slice(0, 64)) {
    await attempt(`context:${t.id}`, () => md.threadContext(t));
    await attempt(`stack:${t.id}`, () => md.stackBytes(t));
    await attempt(`stackMemory:${t.id}`, () => mem.read(t.stack.base, Math.min(t.stack.size, 4096)));
  }
  for (const s of md.streams.slice(0, 64)) await attempt(`raw:${s.index}`, () => md.streamBytes(s, 1 << 20));
  return result;
}

function expect1Line(message: string): void {
  if (message.includes('\n') || message.length === 0) throw new Error(`DumpError message is not one line: ${JSON.stringify(message)}`);
}
