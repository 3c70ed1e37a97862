// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import windbgGrammar from './src/render/windbg.tmLanguage.json' with { type: 'json' };
import { catalogCheck } from './src/catalog/astro-integration.ts';

export default defineConfig({
  site: 'https://dumpatlas.example',
  integrations: [catalogCheck(), mdx()],
  markdown: {
    shikiConfig: {
      themes: { light: 'github-light', dark: 'github-dark' },
      langs: [{ ...windbgGrammar }],
    },
  },
  build: { format: 'directory' },
  vite: {
    // The engine's worker is an ES module (engine-client.ts starts it with type: 'module'), so
    // its dynamic imports stay chunks of their own: the symbol-file readers are fetched only
    // when a reader drops a PDB or a .sym, and the analyzer's first load stays small.
    worker: { format: 'es' },
    build: {
      rollupOptions: {
        // Astro marks MDX modules with a "use astro:head-inject" directive that the bundler
        // reports once per page as MODULE_LEVEL_DIRECTIVE; it is Astro's own marker and harmless,
        // and 27 copies of it would bury any warning that matters.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && String(warning.message).includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
