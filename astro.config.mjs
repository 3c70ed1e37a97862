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
});
