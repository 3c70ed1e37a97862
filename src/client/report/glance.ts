// The dump at a glance: its failure bucket (the signature it shares with every dump of the same
// failure, docs/buckets.md), what kind of dump it is and who wrote it, the OS and its build, the
// CPU architecture, the process and how long it had run, and whether it ran under WOW64.
import type { Report } from '../../engine/report/schema.ts';
import { el } from '../dom.ts';
import { archBits } from '../../engine/core/arch.ts';

/** "6 days 3 h 32 min", "1 min 54 s": uptimes are read, not computed with. */
export function humanDuration(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const parts = [d ? `${d} day${d === 1 ? '' : 's'}` : '', h ? `${h} h` : '', m ? `${m} min` : '', !d && s ? `${s} s` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'under a second';
}

function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function dumpKind(report: Report): string | null {
  const d = report.dump;
  const kind = d.description ?? (d.fullMemory === null ? null : d.fullMemory ? 'full user-mode memory' : 'minidump (selected memory only)');
  const how = [d.writer ? `written by ${d.writer}` : null, d.manual ? 'taken on request, not by a crash' : d.manual === false ? 'written at a crash' : null]
    .filter(Boolean)
    .join(', ');
  if (!kind && !how) return null;
  return [kind, how].filter(Boolean).join(' — ');
}

function osLine(report: Report): string | null {
  const s = report.system;
  const base = s.os ?? (s.platform === 'unknown' ? null : s.platform);
  if (!base) return null;
  const extra = [s.build !== null && !base.includes(String(s.build)) ? `build ${s.build}` : null, s.product].filter(Boolean);
  return extra.length > 0 ? `${base} (${extra.join(', ')})` : base;
}

function archLine(report: Report): string {
  const s = report.system;
  const cpus = s.cpuCount === null ? '' : `, ${s.cpuCount} CPU${s.cpuCount === 1 ? '' : 's'}`;
  return `${s.arch}${cpus}${s.cpu ? ` — ${s.cpu}` : ''}`;
}

function wow64Line(report: Report): string | null {
  if (report.process.wow64) return 'yes — a 32-bit process in a 64-bit dump; its real stacks are the x86 ones';
  if (archBits(report.system.arch) === 64) return report.process.bitness === 64 ? 'no — a 64-bit process' : 'no';
  return null;
}

function processLine(report: Report): string | null {
  const p = report.process;
  const parts = [p.name, p.pid === null ? null : `pid ${p.pid} (0x${p.pid.toString(16)})`, p.bitness === null ? null : `${p.bitness}-bit`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function glanceSection(report: Report): HTMLElement {
  const rows: [string, string | null][] = [
    ['Input', `${report.input.name} — ${report.input.format === 'minidump' ? 'minidump' : 'WinDbg/CDB text'}, ${bytes(report.input.size)}`],
    ['Failure bucket', report.bucket.id],
    ['Dump', dumpKind(report)],
    ['Written', report.dump.time],
    ['Comment', report.dump.comment],
    ['OS', osLine(report)],
    ['Architecture', archLine(report)],
    ['WOW64', wow64Line(report)],
    ['Virtualization', report.system.virtualization],
    ['Process', processLine(report)],
    ['Process uptime', humanDuration(report.process.uptimeSeconds)],
    ['System uptime', humanDuration(report.system.uptimeSeconds)],
    ['Threads', report.threads.length > 0 ? String(report.threads.length) : null],
    ['Modules', report.modules.length > 0 ? String(report.modules.length) : null],
  ];
  const dl = el('dl', { class: 'glance' });
  for (const [k, v] of rows) if (v) dl.append(el('dt', {}, k), el('dd', {}, v));
  return el('section', { 'aria-labelledby': 'r-glance' }, el('h3', { id: 'r-glance' }, 'The dump at a glance'), dl);
}
