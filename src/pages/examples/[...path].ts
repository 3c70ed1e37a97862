// The example fixtures the pattern pages name, published as static files so "Try it" can
// load them into the analyzer. Only named examples are published, not the whole folder.
//
// The route is prerendered, so only the paths getStaticPaths lists ever become files. Should it
// ever run on a server (an SSR adapter, prerender turned off), a request path is still refused
// unless it is one of those examples and resolves, links followed, to a file inside fixtures/.
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';

export const prerender = true;

async function examplePaths(): Promise<Set<string>> {
  const patterns = await getCollection('patterns');
  return new Set(patterns.flatMap((p) => p.data.examples));
}

export const getStaticPaths: GetStaticPaths = async () => [...(await examplePaths())].map((path) => ({ params: { path } }));

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

const notFound = (): Response => new Response('not an example', { status: 404, headers: { 'Content-Type': 'text/plain' } });

export const GET: APIRoute = async ({ params }) => {
  const path = String(params.path ?? '');
  if (!(await examplePaths()).has(path)) return notFound();
  try {
    const root = await realpath(resolve(process.cwd(), 'fixtures'));
    const file = await realpath(resolve(root, path));
    if (!inside(root, file)) return notFound();
    return new Response(await readFile(file), { headers: { 'Content-Type': 'application/octet-stream' } });
  } catch {
    return notFound();
  }
};
