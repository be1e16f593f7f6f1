// Part of npm run build: bundles the command-line tool (tsc's output) into dist/cli/, so a run
// loads a few files instead of some 300 modules: Node 20 has no compile cache, and resolving and
// loading modules one by one was about a fifth of a small validate run. Commands stay separate
// chunks, loaded only when they run; each worker thread's module is an entry of its own, beside
// the modules that start it (they find it by a URL relative to themselves).
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

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
  logLevel: 'warning',
});
