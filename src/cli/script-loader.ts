// Runs a command of the prebuilt CLI from its CommonJS bundle (dist-cli/analyze.cjs) with a V8
// code cache made after a run. Node's own compile cache (enableCompileCache) keeps what V8
// compiles up front, a module's top level; but nearly all of an analysis runs in functions V8
// compiles the first time each is called, on every run again: about 15 ms of a 1 GiB dump's
// 0.23 s on a small machine. A cache taken once the command has run holds those too.
//
// One cache per command and V8 version, beside the bundle: made by the first run that finds
// none (the build runs the analyze command once for it, scripts/build-cli.ts), written whole or
// not at all (a temporary file renamed), and skipped where the folder is read-only. V8 refuses a
// cache that does not fit its version, its flags or the script; the script is then compiled as
// usual and the cache made again.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Taken rather than imported, as elsewhere in the CLI: an ES import of node:fs evaluates
// node:fs/promises and Node's streams.
const { readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { Script } = process.getBuiltinModule('node:vm');
const { createRequire } = process.getBuiltinModule('node:module');

/** The file a command's cache is kept in. */
export function codeCacheFile(bundle: string, command: string): string {
  return `${bundle}.${command}.v8-${process.versions.v8}.cache`;
}

/** A bundle running in this process. */
export interface LoadedScript {
  exports: Record<string, unknown>;
  /**
   * Writes the code cache of everything compiled so far: when V8 took no cache at load, or
   * `always` (the build's warm-up, which runs several inputs through one load).
   */
  keepCache(always?: boolean): void;
}

/**
 * V8 doubles its young generation each time enough objects outlive a collection, and each
 * doubling maps memory the process has never touched. On small virtual machines a first touch
 * costs about 11 µs a page: growing from 1 to 4 MiB was half the stack walk of a 1 GiB dump
 * (52 ms against 27 ms kept at 1 MiB, measured). A command keeps little, so the young
 * generation stays at its first size and collects more often, in memory already mapped. It is
 * a process-wide V8 setting (worker threads too), and it is part of what V8 checks a code cache
 * against, so it is set before any bundle is compiled, in every process that loads one: the
 * build's warm-up as well as each run.
 */
function keepYoungGenerationSmall(): void {
  process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
}

/** Compiles and runs the bundle at `url` with the code cache of `command`, if there is one V8 takes. */
export function loadScript(url: URL, command: string): LoadedScript {
  keepYoungGenerationSmall();
  const file = fileURLToPath(url);
  const cacheFile = codeCacheFile(file, command);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The bundle is ASCII (the build checks it), for which latin1 is the faster decoder.
  const source = readFileSync(file, 'latin1');
  // Node's own CommonJS wrapper, so the bundle runs as if require()d.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const taken = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    exports: module.exports,
    keepCache(always = false) {
      if (!taken || always) writeCache(script, cacheFile);
    },
  };
}

/** Loads the bundle, calls `run` with its exports, then keeps the cache (see loadScript). */
export async function runScript<T>(url: URL, command: string, run: (exports: Record<string, unknown>) => Promise<T>): Promise<T> {
  const loaded = loadScript(url, command);
  try {
    return await run(loaded.exports);
  } finally {
    loaded.keepCache();
  }
}

function writeCache(script: InstanceType<typeof Script>, cacheFile: string): void {
  const partial = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // A read-only install: the bundle is compiled at each run, as it would be without a cache.
    try {
      rmSync(partial, { force: true });
    } catch {
      // nothing was written
    }
  }
}
