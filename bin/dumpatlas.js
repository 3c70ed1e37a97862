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
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
