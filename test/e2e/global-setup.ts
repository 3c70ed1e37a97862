// Serves dist/ with `astro preview` on a free loopback port for the browser tests.
import type { TestProject } from 'vitest/node';
import { startPreview } from './preview-server.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPreview();
  project.provide('baseUrl', server.base);
  return async () => {
    server.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
