#!/usr/bin/env node
// Entry point for `npx dumpatlas`. The CLI is TypeScript run directly by Node's type
// stripping, which needs Node >= 22.18; `npx` puts the project's own Node 24 first on PATH.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `dumpatlas: needs Node >= 22.18 (this is ${process.version}); run it through npx or npm scripts, which use the project's Node\n`,
  );
  process.exit(2);
}
// A user never sees a stack trace, even for a bug of ours: one line, exit status 2.
const die = (err) => {
  const msg = String(err instanceof Error ? err.message : err).replace(/\s+/g, ' ').trim().slice(0, 300);
  process.stderr.write(`dumpatlas: internal error: ${msg}\n`);
  process.exit(2);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
// Cache compiled (and type-stripped) modules between runs: it halves start-up, which is most
// of the time a small dump takes. Best effort: a read-only temp dir just means no cache.
try {
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
} catch {
  // no cache
}
try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  die(err);
}
