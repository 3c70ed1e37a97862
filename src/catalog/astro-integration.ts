// Fails `astro build` (and warns in `astro dev`) when the catalog's pairing rules are
// broken: a page without a detector, a detector without a page, a dangling related id.
import type { AstroIntegration } from 'astro';
import { checkCatalog } from './check.ts';
import { catalogFacts } from './load-node.ts';

export function catalogCheck(): AstroIntegration {
  return {
    name: 'dumpatlas:catalog-check',
    hooks: {
      'astro:config:setup': ({ command, logger }) => {
        const problems = checkCatalog(catalogFacts());
        if (problems.length === 0) return;
        const text = `the pattern catalog is inconsistent:\n  - ${problems.join('\n  - ')}`;
        if (command === 'build') throw new Error(text);
        logger.warn(text);
      },
    },
  };
}
