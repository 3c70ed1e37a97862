// Debugger command prompts. The prompt tells which thread the next output belongs to and,
// after `.effmach x86` on a 64-bit target, that stacks are now the 32-bit (WOW64) view:
// WinDbg shows that as "0:000:x86>".

export type View = 'native' | 'x86';

export interface Prompt {
  /** User-mode system/process number ("0" in "0:012>"), null for kd. */
  process: number | null;
  /** Debugger thread number ("~12"), or null when the prompt does not show one (kd>). */
  thread: number | null;
  /** The effective machine the prompt names (":x86"), or null for the target's own. */
  machine: string | null;
  kernel: boolean;
  /** The command typed after the prompt, trimmed ("" for a bare prompt). */
  command: string;
}

// Process and thread numbers are small; a longer digit run is not a prompt.
const USER = /^\s*(\d{1,9}):(\d{1,9})(?::([a-z0-9]+))?>(?:\s(.*))?$/i;
// "kd>", "0: kd>", "1: kd:x86>"
const KERNEL = /^\s*(?:(\d+):\s*)?kd(?::([a-z0-9]+))?>(?:\s(.*))?$/i;

export function parsePrompt(line: string): Prompt | null {
  let m = USER.exec(line);
  if (m) {
    return {
      process: Number(m[1]),
      thread: Number(m[2]),
      machine: m[3]?.toLowerCase() ?? null,
      kernel: false,
      command: (m[4] ?? '').trim(),
    };
  }
  m = KERNEL.exec(line);
  if (m) {
    return { process: null, thread: null, machine: m[2]?.toLowerCase() ?? null, kernel: true, command: (m[3] ?? '').trim() };
  }
  return null;
}

/** The view a prompt puts following output in: only an explicit 32-bit machine is `x86`. */
export function promptView(p: Prompt): View {
  return p.machine === 'x86' ? 'x86' : 'native';
}

/**
 * `.effmach x86` / `.effmach amd64` / `.effmach .` typed as a command, or the debugger's
 * answer "Effective machine: x86 compatible (x86)". Returns the view switched to, or null.
 */
export function effmachSwitch(commandOrLine: string): View | null {
  const cmd = /^\.effmach\s+(\S+)/i.exec(commandOrLine.trim());
  if (cmd) {
    const m = cmd[1]!.toLowerCase();
    if (m === 'x86') return 'x86';
    if (m === '.' || m === '#' || m === 'amd64' || m === 'x64' || m === 'arm64') return 'native';
    return null;
  }
  const out = /^Effective machine:\s*(\S.*)?$/i.exec(commandOrLine.trim());
  if (out) return /\(x86\)|x86 compatible/i.test(out[1] ?? '') ? 'x86' : 'native';
  return null;
}
