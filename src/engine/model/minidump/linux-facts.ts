// What Breakpad's copies of /proc files tell about a Linux process, where a Windows dump has
// MiscInfo and SystemInfo: the PID (/proc/self/status), the CPU's name and whether the kernel
// ran under a hypervisor (/proc/cpuinfo: the CPUID "hypervisor" bit shows as a flag).
import type { Minidump } from '../../minidump/minidump.ts';
import { parseColonValues } from '../../minidump/linux-streams.ts';

export const HYPERVISOR_FLAG = 'a hypervisor (the CPU reports the "hypervisor" flag)';

export async function linuxProcessId(md: Minidump): Promise<number | null> {
  const status = await md.linuxText('proc-status');
  if (status === null) return null;
  const pid = Number(parseColonValues(status)['Pid']);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export interface LinuxCpu {
  /** "Intel(R) Xeon(R) CPU E5-2689 0 @ 2.60GHz", or null. */
  name: string | null;
  /** Set when the first processor's flags include "hypervisor". */
  virtualization: string | null;
}

export async function linuxCpu(md: Minidump): Promise<LinuxCpu | null> {
  const text = await md.linuxText('cpuinfo');
  if (text === null) return null;
  // Blocks are separated by blank lines, one per processor; they agree on these fields.
  const first = parseColonValues(text.split(/\n\s*\n/)[0] ?? '');
  const flags = (first['flags'] ?? '').split(/\s+/);
  return {
    name: first['model name']?.trim() || null,
    virtualization: flags.includes('hypervisor') ? HYPERVISOR_FLAG : null,
  };
}
