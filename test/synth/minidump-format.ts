// Numbers of the MDMP container (minidumpapiset.h) the writers need. Kept apart from the
// engine's own tables on purpose: the builder is the independent second opinion the reader's
// tests check against.

export const MDMP_SIGNATURE = 0x504d444d; // "MDMP"
/** MINIDUMP_VERSION; the high word is implementation specific (dbghelp writes its build). */
export const MDMP_VERSION = 0xa793;

export const HEADER_SIZE = 32;
export const DIRECTORY_ENTRY_SIZE = 12;

export const StreamType = {
  Unused: 0,
  ThreadList: 3,
  ModuleList: 4,
  MemoryList: 5,
  Exception: 6,
  SystemInfo: 7,
  ThreadExList: 8,
  Memory64List: 9,
  CommentA: 10,
  CommentW: 11,
  HandleData: 12,
  UnloadedModuleList: 14,
  MiscInfo: 15,
  MemoryInfoList: 16,
  ThreadInfoList: 17,
  ThreadNames: 24,
  /** Wine's dbghelp writes a private stream of this type. */
  WinePrivate: 0xfff0,
} as const;

export const THREAD_SIZE = 48;
export const THREAD_EX_SIZE = 64;
export const MODULE_SIZE = 108;
export const UNLOADED_MODULE_SIZE = 24;
export const MEMORY_DESCRIPTOR_SIZE = 16;
export const MEMORY_DESCRIPTOR64_SIZE = 16;
export const MEMORY_INFO_SIZE = 48;
export const THREAD_INFO_SIZE = 64;
export const THREAD_NAME_SIZE = 12;
export const SYSTEM_INFO_SIZE = 56;
export const EXCEPTION_STREAM_SIZE = 168;
export const HANDLE_DESCRIPTOR_SIZE = 32;
export const HANDLE_DESCRIPTOR_2_SIZE = 40;

/** MINIDUMP_MISC_INFO sizes by level (1 = MINIDUMP_MISC_INFO … 5 = MINIDUMP_MISC_INFO_5). */
export const MISC_INFO_SIZES = { 1: 24, 2: 44, 3: 232, 4: 832, 5: 1364 } as const;

export const MiscInfoFlags = {
  ProcessId: 0x1,
  ProcessTimes: 0x2,
  ProcessorPowerInfo: 0x4,
  ProcessIntegrity: 0x10,
  ProcessExecuteFlags: 0x20,
  Timezone: 0x40,
  ProtectedProcess: 0x80,
  BuildString: 0x100,
  ProcessCookie: 0x200,
} as const;

/** PROCESSOR_ARCHITECTURE_* values of MINIDUMP_SYSTEM_INFO.ProcessorArchitecture. */
export const ProcessorArchitecture = { x86: 0, arm: 5, ia64: 6, amd64: 9, arm64: 12, unknown: 0xffff } as const;

/** Where the element count of each list stream lives (offset from the stream start, width). */
export const COUNT_FIELDS: Readonly<Record<number, { offset: number; width: 4 | 8 }>> = {
  [StreamType.ThreadList]: { offset: 0, width: 4 },
  [StreamType.ModuleList]: { offset: 0, width: 4 },
  [StreamType.MemoryList]: { offset: 0, width: 4 },
  [StreamType.ThreadExList]: { offset: 0, width: 4 },
  [StreamType.Memory64List]: { offset: 0, width: 8 },
  [StreamType.UnloadedModuleList]: { offset: 8, width: 4 },
  [StreamType.HandleData]: { offset: 8, width: 4 },
  [StreamType.MemoryInfoList]: { offset: 8, width: 8 },
  [StreamType.ThreadInfoList]: { offset: 8, width: 4 },
  [StreamType.ThreadNames]: { offset: 0, width: 4 },
  // MINIDUMP_EXCEPTION_STREAM.ExceptionRecord.NumberParameters
  [StreamType.Exception]: { offset: 32, width: 4 },
};
