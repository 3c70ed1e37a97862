// breakpad/minidump2.dmp against Breakpad's own field-by-field dump of it (minidump2.dump.out):
// header, directory, threads with contexts, modules with CodeView, memory list, exception,
// system info, misc info and Breakpad info.
import { beforeAll, describe, expect, it } from 'vitest';
import { openMinidump, type Minidump } from '../../../src/engine/minidump/minidump.ts';
import type { X86Context } from '../../../src/engine/minidump/context-x86.ts';
import { blocksTitled, num, parseDumpOut, str, type DumpOutBlock } from './support/dump-out.ts';
import { corpusSource, corpusText } from './support/corpus.ts';

let md: Minidump;
let out: DumpOutBlock[];

beforeAll(async () => {
  md = await openMinidump(corpusSource('breakpad/minidump2.dmp'));
  out = parseDumpOut(corpusText('breakpad/minidump2.dump.out'));
});

const X86_FIELDS = ['edi', 'esi', 'ebx', 'edx', 'ecx', 'eax', 'ebp', 'eip', 'cs', 'eflags', 'esp', 'ss', 'gs', 'fs', 'es', 'ds', 'dr0', 'dr1', 'dr2', 'dr3', 'dr6', 'dr7'] as const;

function expectContext(ctx: X86Context, f: Map<string, string>): void {
  expect(ctx.flags).toBe(Number(num(f, 'context_flags')));
  for (const reg of X86_FIELDS) expect([reg, ctx.regs[reg]]).toEqual([reg, num(f, reg)]);
  expect(ctx.floatSave.controlWord).toBe(Number(num(f, 'float_save.control_word')));
  expect(ctx.floatSave.statusWord).toBe(Number(num(f, 'float_save.status_word')));
  expect(ctx.floatSave.tagWord).toBe(Number(num(f, 'float_save.tag_word')));
  expect(ctx.floatSave.errorSelector).toBe(Number(num(f, 'float_save.error_selector')));
  expect(ctx.floatSave.dataSelector).toBe(Number(num(f, 'float_save.data_selector')));
  const area = f.get('float_save.register_area[80]')!.slice(2);
  expect(Buffer.from(ctx.floatSave.registerArea).toString('hex')).toBe(area);
  const ext = f.get('extended_registers[512]')!.slice(2);
  expect(Buffer.from(ctx.extendedRegisters).toString('hex')).toBe(ext);
}

describe('minidump2.dmp vs minidump2.dump.out', () => {
  it('header', () => {
    const [h] = blocksTitled(out, 'MDRawHeader');
    expect(md.header.signature).toBe(Number(num(h!, 'signature')));
    expect(md.header.version).toBe(Number(num(h!, 'version')));
    expect(md.header.streamCount).toBe(Number(num(h!, 'stream_count')));
    expect(md.header.streamDirectoryRva).toBe(Number(num(h!, 'stream_directory_rva')));
    expect(md.header.timeDateStamp).toBe(Number(num(h!, 'time_date_stamp')));
    expect(md.header.flags).toBe(num(h!, 'flags'));
    expect(md.time?.toISOString()).toBe('2007-02-14T19:13:55.000Z');
    expect(md.warnings).toEqual([]);
    expect(md.truncatedBytes).toBe(0);
  });

  it('directory, unused entries included', () => {
    const dir = blocksTitled(out, 'MDRawDirectory');
    expect(md.streams.length).toBe(dir.length);
    dir.forEach((f, i) => {
      const s = md.streams[i]!;
      expect(s.type).toBe(Number(num(f, 'stream_type')));
      expect(s.size).toBe(Number(num(f, 'location.data_size')));
      expect(s.rva).toBe(Number(num(f, 'location.rva')));
    });
    expect(md.streams.map((s) => s.name)).toContain('BreakpadInfoStream');
  });

  it('threads and their contexts', async () => {
    const threads = (await md.threads())!;
    const expected = blocksTitled(out, 'MDRawThread');
    const contexts = blocksTitled(out, 'MDRawContextX86');
    expect(threads.length).toBe(2);
    for (const [i, t] of threads.entries()) {
      const f = expected[i]!;
      expect(t.id).toBe(Number(num(f, 'thread_id')));
      expect(t.suspendCount).toBe(Number(num(f, 'suspend_count')));
      expect(t.priorityClass).toBe(Number(num(f, 'priority_class')));
      expect(t.priority).toBe(Number(num(f, 'priority')));
      expect(t.teb).toBe(num(f, 'teb'));
      expect(t.stack.base).toBe(num(f, 'stack.start_of_memory_range'));
      expect(t.stack.size).toBe(Number(num(f, 'stack.memory.data_size')));
      expect(t.stack.rva).toBe(Number(num(f, 'stack.memory.rva')));
      expect(t.context.size).toBe(Number(num(f, 'thread_context.data_size')));
      expect(t.context.rva).toBe(Number(num(f, 'thread_context.rva')));
      const ctx = (await md.threadContext(t)) as X86Context;
      expect(ctx.arch).toBe('x86');
      expectContext(ctx, contexts[i]!);
      expect(ctx.valid.has('eip')).toBe(true);
      expect(ctx.hasXState).toBe(false);
    }
    // Stack bytes match the dump's first bytes of the Stack block.
    const stack = await md.stackBytes(threads[1]!);
    expect(stack?.length).toBe(0x918);
    expect(Buffer.from(stack!.subarray(0, 8)).toString('hex')).toBe('8000108020fa9700');
  });

  it('modules, names, versions and CodeView records', async () => {
    const modules = (await md.modules())!;
    const expected = blocksTitled(out, 'MDRawModule');
    expect(modules.length).toBe(13);
    for (const [i, m] of modules.entries()) {
      const f = expected[i]!;
      expect(m.base).toBe(num(f, 'base_of_image'));
      expect(m.size).toBe(Number(num(f, 'size_of_image')));
      expect(m.checksum).toBe(Number(num(f, 'checksum')));
      expect(m.timestamp).toBe(Number(num(f, 'time_date_stamp')));
      expect(m.name).toBe(str(f, '(code_file)'));
      expect(m.codeId.toUpperCase()).toBe(str(f, '(code_identifier)')!.toUpperCase());
      expect(m.versionInfo.signature).toBe(Number(num(f, 'version_info.signature')));
      expect(m.versionInfo.fileFlagsMask).toBe(Number(num(f, 'version_info.file_flags_mask')));
      expect(m.versionInfo.fileOS).toBe(Number(num(f, 'version_info.file_os')));
      expect(m.versionInfo.fileType).toBe(Number(num(f, 'version_info.file_type')));
      expect(m.version ?? '').toBe(str(f, '(version)'));
      expect(m.cvRecord.size).toBe(Number(num(f, 'cv_record.data_size')));
      expect(m.cvRecord.rva).toBe(Number(num(f, 'cv_record.rva')));
      const cv = m.codeView;
      expect(cv?.kind).toBe('pdb70');
      if (cv?.kind !== 'pdb70') continue;
      expect(cv.guid).toBe(f.get('(cv_record).signature'));
      expect(cv.age).toBe(Number(num(f, '(cv_record).age')));
      expect(cv.pdbName).toBe(str(f, '(cv_record).pdb_file_name'));
      expect(cv.debugId).toBe(str(f, '(debug_identifier)'));
    }
    expect(modules[1]!.version).toBe('5.1.2600.2180');
  });

  it('memory list, read through the address space', async () => {
    const list = (await md.memoryList())!;
    const expected = blocksTitled(out, 'MDMemoryDescriptor');
    expect(list.length).toBe(3);
    list.forEach((d, i) => {
      expect(d.base).toBe(num(expected[i]!, 'start_of_memory_range'));
      expect(d.size).toBe(Number(num(expected[i]!, 'memory.data_size')));
      expect(d.rva).toBe(Number(num(expected[i]!, 'memory.rva')));
    });
    const mem = await md.memory();
    // region[0] starts 0xff83c4ec890424c7 at 0x7c90eb14 (the bytes around the crashing EIP).
    const bytes = await mem.read(0x7c90eb14n, 8);
    expect(Buffer.from(bytes!).toString('hex')).toBe('ff83c4ec890424c7');
    expect(await mem.read(0x7c90eb14n + 0xfcn, 8)).toBeNull(); // runs 4 bytes past the range
  });

  it('exception and its context', async () => {
    const [f] = blocksTitled(out, 'MDException');
    const ex = (await md.exception())!;
    expect(ex.threadId).toBe(Number(num(f!, 'thread_id')));
    expect(ex.code).toBe(Number(num(f!, 'exception_record.exception_code')));
    expect(ex.flags).toBe(Number(num(f!, 'exception_record.exception_flags')));
    expect(ex.nestedRecord).toBe(num(f!, 'exception_record.exception_record'));
    expect(ex.address).toBe(num(f!, 'exception_record.exception_address'));
    expect(ex.numberParameters).toBe(Number(num(f!, 'exception_record.number_parameters')));
    expect(ex.parameters).toEqual([num(f!, 'exception_record.exception_information[ 0]'), num(f!, 'exception_record.exception_information[ 1]')]);
    expect(ex.context.size).toBe(Number(num(f!, 'thread_context.data_size')));
    expect(ex.context.rva).toBe(Number(num(f!, 'thread_context.rva')));
    const ctx = (await md.exceptionContext()) as X86Context;
    expectContext(ctx, blocksTitled(out, 'MDRawContextX86')[2]!);
    expect(ctx.pc).toBe(0x40429en);
  });

  it('system info', async () => {
    const [f] = blocksTitled(out, 'MDRawSystemInfo');
    const si = (await md.systemInfo())!;
    expect(si.processorArchitecture).toBe(Number(num(f!, 'processor_architecture')));
    expect(si.arch).toBe('x86');
    expect(si.processorLevel).toBe(Number(num(f!, 'processor_level')));
    expect(si.processorRevision).toBe(Number(num(f!, 'processor_revision')));
    expect(si.numberOfProcessors).toBe(Number(num(f!, 'number_of_processors')));
    expect(si.productType).toBe(Number(num(f!, 'product_type')));
    expect(si.majorVersion).toBe(Number(num(f!, 'major_version')));
    expect(si.minorVersion).toBe(Number(num(f!, 'minor_version')));
    expect(si.buildNumber).toBe(Number(num(f!, 'build_number')));
    expect(si.platformId).toBe(Number(num(f!, 'platform_id')));
    expect(si.platform).toBe('windows');
    expect(si.suiteMask).toBe(Number(num(f!, 'suite_mask')));
    expect(si.csdVersion).toBe(str(f!, '(csd_version)'));
    expect(si.cpu).toEqual({
      kind: 'x86',
      vendor: str(f!, '(cpu_vendor)'),
      versionInformation: Number(num(f!, 'cpu.x86_cpu_info.version_information')),
      featureInformation: Number(num(f!, 'cpu.x86_cpu_info.feature_information')),
      amdExtendedCpuFeatures: Number(num(f!, 'cpu.x86_cpu_info.amd_extended_cpu_features')),
    });
  });

  it('misc info and Breakpad info', async () => {
    const [f] = blocksTitled(out, 'MDRawMiscInfo');
    const misc = (await md.miscInfo())!;
    expect(misc.sizeOfInfo).toBe(Number(num(f!, 'size_of_info')));
    expect(misc.version).toBe(1);
    expect(misc.flags1).toBe(Number(num(f!, 'flags1')));
    expect(misc.processId).toBe(Number(num(f!, 'process_id')));
    expect(misc.processCreateTime).toBe(Number(num(f!, 'process_create_time')));
    expect(misc.processUserTime).toBe(Number(num(f!, 'process_user_time')));
    expect(misc.processKernelTime).toBe(Number(num(f!, 'process_kernel_time')));
    expect(misc.timeZone).toBeNull();
    const [b] = blocksTitled(out, 'MDRawBreakpadInfo');
    expect(await md.breakpadInfo()).toEqual({
      validity: Number(num(b!, 'validity')),
      dumpThreadId: Number(num(b!, 'dump_thread_id')),
      requestingThreadId: Number(num(b!, 'requesting_thread_id')),
    });
  });

  it('absent streams are null, and accessors cache', async () => {
    expect(await md.memory64List()).toBeNull();
    expect(await md.threadNames()).toBeNull();
    expect(await md.handles()).toBeNull();
    expect(await md.crashpadInfo()).toBeNull();
    expect(await md.comment()).toBeNull();
    expect(await md.linuxText('maps')).toBeNull();
    expect(await md.threads()).toBe(await md.threads());
  });
});
