// Serves dist/ with `astro preview` on a free loopback port for the browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

let server: ChildProcess | null = null;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  // --ignore-lock: Astro allows one tracked preview server per project and would refuse (or,
  // under some terminals, move to the background) when another test run or a developer's
  // preview is already up; this run's server is its own and dies with it.
  // Astro through the Node running this (the project's Node 24), not whichever `node` the
  // PATH finds first: Astro refuses Node 20.
  server = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('astro preview did not start within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('baseUrl', base);
  return async () => {
    server?.kill('SIGTERM');
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
