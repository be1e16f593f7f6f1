/**
 * Benchmark: `capifleet validate` over a generated fleet (default 1000 clusters, one plain YAML file
 * each, 15 Cluster API / CAPZ / Flux / core objects per cluster), through the CLI itself in a fresh
 * process each time, start-up included. Prints resources/s with an empty cache (cold; once more on
 * two threads, --jobs 2, to show what a worker thread gives), with the caches the cold run left
 * (warm: nothing changed, so the whole set is served from the result cache), warm after one file
 * changed (that file is checked and the cross-resource rules run over the whole set), and the
 * time to validate one kustomization overlay warm. Every run must report zero errors: the fixture
 * is valid, so any error is a bug.
 *
 *   npm run bench:validate [-- clusters]     (default: 1000)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_DIR } from '../src/cli/commands/validate.js';
import { cliPath } from '../test/support/paths.js';
import { clusterManifests, writeClusterManifests } from './cluster-fixture.js';

const clusters = Number(process.argv[2] ?? 1000);
const WARM_RUNS = 3;
const OVERLAY_RUNS = 5;

interface Run {
  ms: number;
  resources: number;
  warnings: number;
}

/** One `capifleet validate <target> -o json` in `cwd`; throws unless it exits 0 with zero errors. */
function validate(cwd: string, target: string, args: string[] = []): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cliPath, 'validate', target, '--output', 'json', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`capifleet validate ${target} exited ${r.status}:\n${r.stdout.slice(0, 4000)}${r.stderr}`);
  const { summary } = JSON.parse(r.stdout) as { summary: { errors: number; warnings: number; resources: number } };
  if (summary.errors !== 0) throw new Error(`capifleet validate ${target} reported ${summary.errors} errors on a valid fleet:\n${r.stdout.slice(0, 4000)}`);
  return { ms, resources: summary.resources, warnings: summary.warnings };
}

function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}

function rate(run: Run): string {
  return `${run.resources} resources in ${run.ms.toFixed(0)} ms = ${Math.round((run.resources * 1000) / run.ms)} resources/s, ${run.warnings} warnings`;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-bench-validate-'));
try {
  writeClusterManifests(path.join(root, 'fleet'), clusters);
  const overlay = path.join(root, 'overlay');
  fs.mkdirSync(overlay);
  fs.writeFileSync(path.join(overlay, 'cluster.yaml'), clusterManifests(0));
  fs.writeFileSync(
    path.join(overlay, 'kustomization.yaml'),
    'resources:\n- cluster.yaml\nlabels:\n- pairs: {fleet.example.com/overlay: prod}\ncommonAnnotations:\n  fleet.example.com/owner: platform\n',
  );

  fs.rmSync(path.join(root, CACHE_DIR), { recursive: true, force: true });
  const coldTwoThreads = validate(root, 'fleet', ['--jobs', '2']);
  fs.rmSync(path.join(root, CACHE_DIR), { recursive: true, force: true });
  const cold = validate(root, 'fleet');
  const warm = median(Array.from({ length: WARM_RUNS }, () => validate(root, 'fleet')));
  // a pre-commit run after one file's edit: that file is read and checked, the set's rules run over all 15,000 objects
  const edited = path.join(root, 'fleet', fs.readdirSync(path.join(root, 'fleet')).sort()[0]!);
  const original = fs.readFileSync(edited, 'utf8');
  const oneChanged = median(
    Array.from({ length: WARM_RUNS }, (_, i) => {
      fs.writeFileSync(edited, `# edit ${i}\n${original}`);
      return validate(root, 'fleet');
    }),
  );
  const one = median(Array.from({ length: OVERLAY_RUNS }, () => validate(root, 'overlay')));
  console.log(`${clusters} clusters cold (empty ${CACHE_DIR}/, one process incl. start-up): ${rate(cold)}`);
  console.log(`${clusters} clusters cold on two threads (--jobs 2): ${rate(coldTwoThreads)}`);
  console.log(`${clusters} clusters warm, nothing changed (median of ${WARM_RUNS}): ${rate(warm)}`);
  console.log(`${clusters} clusters warm, one file changed (median of ${WARM_RUNS}): ${rate(oneChanged)}`);
  console.log(`one overlay warm (kustomization build + validate, median of ${OVERLAY_RUNS}): ${one.ms.toFixed(0)} ms for ${one.resources} resources, ${one.warnings} warnings`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
