// The example fixtures the pattern pages name, published as static files so "Try it" can
// load them into the analyzer. Only named examples are published, not the whole folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';

export const getStaticPaths: GetStaticPaths = async () => {
  const patterns = await getCollection('patterns');
  const paths = new Set(patterns.flatMap((p) => p.data.examples));
  return [...paths].map((path) => ({ params: { path } }));
};

export const GET: APIRoute = async ({ params }) => {
  const bytes = await readFile(join(process.cwd(), 'fixtures', String(params.path)));
  return new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } });
};
