// The project's layers, bottom first, and the rules that keep imports pointing down. Checked by
// test/architecture.test.ts (and by hand: `npx depcruise src`). A layer may import any layer
// below it; nothing imports a layer above it, and no two folders import each other.
//
// The format readers share a level: minidump, PE, WinDbg text, and the symbol-file readers
// (symbols holds the interface they implement; pdb and breakpad-sym the readers themselves).

/** Bottom first. Paths are relative to the project root. */
export const LAYERS = [
  { name: 'core', path: '^src/engine/(core|names)/' },
  { name: 'io', path: '^src/engine/(io/|sniff\\.ts$|text-decode\\.ts$)' },
  { name: 'memory', path: '^src/engine/memory/' },
  { name: 'format readers', path: '^src/engine/(minidump|pe|windbg-text|symbols|pdb|breakpad-sym)/' },
  // Which symbol file belongs to which module: opens files with the reader their content asks
  // for (pdb, breakpad-sym) and checks identities against the dump's and the image's (pe).
  { name: 'symbol matching', path: '^src/engine/symbol-match/' },
  { name: 'unwinders', path: '^src/engine/(unwind|wow64)/' },
  { name: 'model assembly', path: '^src/engine/(model/|read-dump\\.ts$)' },
  { name: 'report', path: '^src/engine/report/' },
  { name: 'analyze', path: '^src/engine/analyze\\.ts$' },
  { name: 'detectors', path: '^src/detectors/' },
  { name: 'render', path: '^src/render/' },
  { name: 'shells', path: '^src/(cli|client|catalog|components|pages|layouts|content\\.config\\.ts$)' },
];

/** One rule per layer: it may not import any layer above it. */
function layerRules(layers) {
  return layers.slice(0, -1).map((layer, i) => ({
    name: `no-upward-from-${layer.name.replace(/ /g, '-')}`,
    comment: `${layer.name} sits below ${layers.slice(i + 1).map((l) => l.name).join(', ')}: it may not import them`,
    severity: 'error',
    from: { path: layer.path },
    to: { path: layers.slice(i + 1).map((l) => `(?:${l.path})`).join('|') },
  }));
}

export const RULES = [
  ...layerRules(LAYERS),
  {
    name: 'detectors-read-the-model-only',
    comment: 'a detector is a function of the dump model: it takes the core vocabulary and the report contract, never a reader',
    severity: 'error',
    from: { path: '^src/detectors/' },
    to: { path: '^src/engine/', pathNot: '^src/engine/(core|names|report)/' },
  },
  {
    name: 'engine-runs-in-a-worker',
    comment: 'src/engine runs unchanged in a browser worker: Node built-ins only in the Node byte source',
    severity: 'error',
    from: { path: '^src/engine/', pathNot: '^src/engine/io/node-file-source\\.ts$' },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'no-module-cycles',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'no-folder-cycles',
    comment: 'two folders that import each other are one layer in two places',
    severity: 'error',
    scope: 'folder',
    from: { path: '^src/' },
    to: { circular: true },
  },
];

export default {
  forbidden: RULES,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.(astro|css|json|mdx)$' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
