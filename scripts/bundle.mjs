// Part of npm run build: bundles the command-line tool (tsc's output) into dist/cli/, so a run
// loads a few files instead of some 300 modules: Node 20 has no compile cache, and resolving and
// loading modules one by one was about a fifth of a small validate run. Commands stay separate
// chunks, loaded only when they run; each worker thread's module is an entry of its own, beside
// the modules that start it (they find it by a URL relative to themselves).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * yargs guesses the tool's version from the package.json it finds above the folder it was loaded
 * from, on every run; bundled, it no longer lies in node_modules and starts from the working folder,
 * listing it and every folder above it (a repository's root, /tmp: tens of ms). capifleet gives
 * yargs its version (see main.ts), so its search (escalade) finds nothing without looking.
 */
const noPackageSearch = {
  name: 'no-package-search',
  setup(build) {
    build.onResolve({ filter: /^escalade\/sync$/ }, () => ({ path: 'escalade/sync', namespace: 'no-package-search' }));
    build.onLoad({ filter: /.*/, namespace: 'no-package-search' }, () => ({ contents: 'export default function findUp() { return undefined; }', loader: 'js' }));
  },
};

/**
 * yargs lays out help text with cliui and measures it with string-width, which build Unicode
 * property regexes and an Intl.Segmenter as they load: a fifth of a run's start-up, for text
 * only --help shows. Each import of them (default exports, functions) gets a stand-in that
 * loads the real module on its first call: esbuild initializes a module it bundles for a
 * require() only when that require() runs.
 */
const LAZY_PACKAGES = /^(cliui|string-width)$/;
const lazyLayout = {
  name: 'lazy-layout',
  setup(build) {
    build.onResolve({ filter: LAZY_PACKAGES }, (args) =>
      args.pluginData === 'real' ? undefined : { path: `${args.importer}:${args.path}`, namespace: 'lazy-layout', pluginData: { importer: args.importer, name: args.path } },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-layout' }, (args) => ({
      contents: `export default function lazy(...args) { return require(${JSON.stringify(args.pluginData.name)}).default(...args); }`,
      // the real module resolves as from its importer, whose copy (version) it is
      resolveDir: path.dirname(args.pluginData.importer),
      pluginData: 'real',
      loader: 'js',
    }));
  },
};

// chunks are named by their content: an earlier build's would stay beside the new ones
fs.rmSync('dist/cli', { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    capifleet: 'dist/src/cli/main.js',
    'render-worker': 'dist/src/engine/render-worker.js',
    'validate-worker': 'dist/src/validate/validate-worker.js',
    'build-worker': 'dist/src/cluster-graph/build-worker.js',
  },
  outdir: 'dist/cli',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // bundled CommonJS dependencies call require(); an ES module has none of its own
  banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);" },
  plugins: [noPackageSearch, lazyLayout],
  logLevel: 'warning',
});
