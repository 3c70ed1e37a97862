#!/usr/bin/env node
// Entry point for `npx dumpatlas`. It runs the prebuilt CLI in dist-cli/ (plain JavaScript for
// Node >= 20, made by `npm run build:cli`, which `npm install` runs in a clone and `npm pack`
// runs before packing). In a git checkout whose src/ changed since that build, it runs the
// TypeScript sources instead (Node's type stripping, Node >= 22.18; `npx` and npm scripts put
// the project's own Node 24 first on PATH), so an edit is never hidden by a stale build.
import { fileURLToPath, pathToFileURL } from 'node:url';

// Taken with getBuiltinModule (Node >= 20.16) where it exists, not imported: an ES import of
// node:fs evaluates its lazy exports, node:fs/promises with Node's streams and readline
// (milliseconds of every start, even --version's).
const { existsSync, readdirSync, readFileSync, statSync } = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'));

// A user never sees a stack trace, even for a bug of ours: one line, exit status 2.
const die = (err) => {
  const msg = String(err instanceof Error ? err.message : err).replace(/\s+/g, ' ').trim().slice(0, 300);
  process.stderr.write(`dumpatlas: internal error: ${msg}\n`);
  process.exit(2);
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
// A reader that stops early (`dumpatlas analyze … | head`) closes the pipe: stop quietly, as
// other command-line tools do, rather than report the write that failed.
process.stdout.on('error', (err) => (err.code === 'EPIPE' ? process.exit(0) : die(err)));

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const BUILT = path('../dist-cli/dumpatlas.mjs');

/** True when the build is older than a file under src/ (checked only in a git checkout). */
function stale() {
  if (!existsSync(path('../.git')) || !existsSync(path('../src'))) return false;
  let built;
  try {
    built = JSON.parse(readFileSync(path('../dist-cli/build-info.json'), 'utf8')).sourceTime;
  } catch {
    return true;
  }
  // A plain walk: readdirSync's own { recursive: true } costs several times as much here.
  const folders = [path('../src')];
  while (folders.length > 0) {
    const dir = folders.pop();
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) folders.push(p);
      else if (statSync(p).mtimeMs > built) return true;
    }
  }
  return false;
}

let entry = BUILT;
if (!existsSync(BUILT) || stale()) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    process.stderr.write(
      `dumpatlas: the prebuilt CLI is missing or older than src/ (run npm run build:cli), and running the sources needs Node >= 22.18 (this is ${process.version}); run it through npx or npm scripts, which use the project's Node\n`,
    );
    process.exit(2);
  }
  entry = path('../src/cli/main.ts');
}
// Cache compiled modules between runs (Node >= 22.1): start-up is most of what a small dump
// costs. Best effort: a read-only temp dir just means no cache.
try {
  const { enableCompileCache } = process.getBuiltinModule?.('node:module') ?? (await import('node:module'));
  enableCompileCache?.();
} catch {
  // no cache
}
try {
  const { main } = await import(pathToFileURL(entry).href);
  const status = await main(process.argv.slice(2));
  // Exit once the output is out, rather than let Node take its heap apart page by page first
  // (about 5 ms after an analysis here, more after a large one). The empty writes call back
  // after everything written before them has gone, on every platform and kind of stream.
  process.stderr.write('', () => process.stdout.write('', () => process.exit(status)));
} catch (err) {
  die(err);
}
