// A model with every fact unknown; readers fill in what their input tells.
import type { DumpModel } from './dump-model.ts';

export function emptyModel(format: DumpModel['input']['format'], name: string, size: number): DumpModel {
  return {
    input: { format, name, size },
    system: {
      platform: 'unknown',
      os: null,
      version: null,
      build: null,
      servicePack: null,
      product: null,
      arch: 'unknown',
      cpuCount: null,
      cpu: null,
      uptimeSeconds: null,
      virtualization: null,
    },
    process: {
      pid: null,
      name: null,
      bitness: null,
      wow64: false,
      uptimeSeconds: null,
      createTime: null,
      userSeconds: null,
      kernelSeconds: null,
    },
    dump: {
      fullMemory: null,
      flags: null,
      writer: null,
      comment: null,
      time: null,
      description: null,
      streams: [],
      manual: null,
      truncatedBytes: null,
    },
    exception: null,
    threads: [],
    modules: [],
    unloadedModules: [],
    handles: null,
    annotations: {},
    warnings: [],
    missing: [],
  };
}
