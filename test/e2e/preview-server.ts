// The built site (dist/) served by `astro preview` on a free loopback port: what the browser
// tests and scripts/hostile-page.ts open pages from.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface PreviewServer {
  /** "http://127.0.0.1:PORT", no trailing slash. */
  base: string;
  stop(): void;
}

/** Starts the preview server and waits (up to 30 s) until it answers. */
export async function startPreview(): Promise<PreviewServer> {
  const port = await freePort();
  // --ignore-lock: Astro allows one tracked preview server per project and would refuse (or,
  // under some terminals, move to the background) when another test run or a developer's
  // preview is already up; this server is its own and dies with it.
  // Astro through the Node running this (the project's Node 24), not whichever `node` the
  // PATH finds first: Astro refuses Node 20.
  const server: ChildProcess = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      server.kill('SIGTERM');
      throw new Error('astro preview did not start within 30 s (run npm run build first)');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, stop: () => server.kill('SIGTERM') };
}
