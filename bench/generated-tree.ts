/**
 * Benchmark on the tree people actually have: `capifleet generate` writes the Kustomize tree of a
 * 1000-cluster spec (three environments, AKS clusters, two add-ons), then everything is measured
 * through the CLI in fresh processes, start-up included: `render` of every cluster overlay in one
 * run, `kubectl kustomize` on a sample of the same overlays (per-overlay ratio; the sample's
 * outputs must be identical), and `validate` of the tree cold, warm with nothing changed and warm
 * after one cluster's file changed (a comment appended, then a value its objects carry). Validate
 * is measured in the final shape, where it walks the cluster graph from the management entry
 * point that `generate` writes (`overlays/_management/`: one GitRepository, per environment one
 * Flux Kustomization per cluster). Each run's peak RSS comes from /usr/bin/time; the machine's
 * load average is printed with each figure, since a shared machine's times swing with it.
 *
 *   npm run bench:tree [-- clusters sample]     (default: 1000 10)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { overlayFileName } from '../src/cli/commands/render.js';
import { CACHE_DIR } from '../src/cli/commands/validate.js';
import type { FleetSpec } from '../src/fleet/types.js';
import { fleetFixture } from '../test/generate/fleet-fixture.js';
import { cliPath } from '../test/support/paths.js';

const clusters = Number(process.argv[2] ?? 1000);
const sampleSize = Number(process.argv[3] ?? 10);
const WARM_RUNS = 3;
const ADDONS = ['ingress-nginx', 'cert-manager'];

interface Measured {
  ms: number;
  /** CPU time (user + system), in ms: on a busy shared machine it swings far less than wall time. */
  cpuMs: number;
  /** Peak resident set of the process, in MB. */
  rssMb: number;
  /** One-minute load average when the run ended. */
  load: number;
  stdout: string;
}

/** Runs a command in `cwd` under /usr/bin/time; throws unless it exits 0. */
function measure(cwd: string, command: string, args: string[]): Measured {
  const timeFile = path.join(os.tmpdir(), `capifleet-bench-time-${process.pid}`);
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} … exited ${r.status}:\n${r.stdout.slice(0, 2000)}${r.stderr.slice(0, 2000)}`);
  const [rssKb, user, system] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(timeFile, { force: true });
  return { ms, cpuMs: (user! + system!) * 1000, rssMb: rssKb! / 1024, load: os.loadavg()[0]!, stdout: r.stdout };
}

const capifleet = (cwd: string, args: string[]): Measured => measure(cwd, process.execPath, [cliPath, ...args]);

/** The fixture fleet with AKS clusters and only two add-ons (no environment turns on a third). */
function treeSpec(): FleetSpec {
  const spec = fleetFixture({ clusters, providers: ['aks'] }).spec;
  spec.spec.addons = spec.spec.addons!.filter((a) => ADDONS.includes(a.name));
  for (const env of spec.spec.environments) {
    const addons = env.defaults?.addons;
    if (addons) for (const name of Object.keys(addons)) if (!ADDONS.includes(name)) delete addons[name];
  }
  return spec;
}

/** `validate .` with a JSON report; throws unless the valid tree gives zero errors. */
function validate(root: string): Measured & { resources: number } {
  const run = capifleet(root, ['validate', '.', '--output', 'json']);
  const { summary } = JSON.parse(run.stdout) as { summary: { errors: number; resources: number } };
  if (summary.errors !== 0) throw new Error(`validate reported ${summary.errors} errors on the generated tree:\n${run.stdout.slice(0, 4000)}`);
  return { ...run, resources: summary.resources };
}

/** Validate of the tree cold, warm with nothing changed and warm after `edited` changed, as rows named after `shape`. */
function measureValidate(shape: string, edited: string): void {
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
  const cold = validate(root);
  row(`validate ${shape}, cold`, cold, `${cold.resources} resources, ${Math.round((cold.resources * 1000) / cold.ms)} resources/s (${Math.round((cold.resources * 1000) / cold.cpuMs)}/s of CPU)`);
  row(`validate ${shape}, nothing changed (median of ${WARM_RUNS})`, median(Array.from({ length: WARM_RUNS }, () => validate(root))), '');
  const original = fs.readFileSync(edited, 'utf8');
  const oneChanged = median(
    Array.from({ length: WARM_RUNS }, (_, i) => {
      fs.writeFileSync(edited, `${original}# edit ${i}\n`);
      return validate(root);
    }),
  );
  fs.writeFileSync(edited, original);
  row(`validate ${shape}, one cluster file changed (median of ${WARM_RUNS})`, oneChanged, `${edited}: a comment appended`);
  // a value the management cluster's objects carry: that cluster is checked again, its other objects' own findings served
  if (!/^ {2}replicas: \d+$/m.test(original)) throw new Error(`${edited} has no replicas to change`);
  const valueChanged = median(
    Array.from({ length: WARM_RUNS }, (_, i) => {
      fs.writeFileSync(edited, original.replace(/^ {2}replicas: \d+$/m, `  replicas: ${7 + i}`));
      return validate(root);
    }),
  );
  fs.writeFileSync(edited, original);
  row(`validate ${shape}, one cluster file's value changed (median of ${WARM_RUNS})`, valueChanged, `${edited}: a node pool's replicas`);
}

function median<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}

const rows: string[][] = [];
const row = (what: string, m: Measured, note: string): void => {
  rows.push([what, `${(m.ms / 1000).toFixed(2)} s`, `${(m.cpuMs / 1000).toFixed(2)} s`, note, `${m.rssMb.toFixed(0)} MB`, m.load.toFixed(1)]);
};

const outputs = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-bench-tree-'));
const root = path.join(outputs, 'tree');
fs.mkdirSync(root);
try {
  fs.writeFileSync(path.join(root, 'fleet.yaml'), stringify(treeSpec()));
  row('generate', capifleet(root, ['generate']), `${clusters} clusters`);
  // output file names are relative to the working directory, as the CLI's are
  process.chdir(root);
  const overlays = fs
    .readdirSync('overlays')
    // overlays/_management/ is the entry point, not an environment
    .filter((env) => !env.startsWith('_'))
    .sort()
    .flatMap((env) => fs.readdirSync(path.join('overlays', env)).filter((d) => !d.startsWith('_')).sort().map((d) => path.join('overlays', env, d)));

  // outside the tree, which validate walks
  const rendered = path.join(outputs, 'rendered');
  fs.mkdirSync(rendered);
  const render = capifleet(root, ['render', ...overlays, '--output', rendered]);
  const perOverlay = render.ms / overlays.length;
  row('render, every overlay', render, `${overlays.length} overlays, ${perOverlay.toFixed(1)} ms each`);

  const step = Math.max(1, Math.floor(overlays.length / sampleSize));
  const sample = overlays.filter((_, i) => i % step === 0).slice(0, sampleSize);
  const kubectl = sample.map((dir) => {
    const run = measure(root, 'kubectl', ['kustomize', dir]);
    if (run.stdout !== fs.readFileSync(path.join(rendered, overlayFileName(dir)), 'utf8')) throw new Error(`capifleet render and kubectl kustomize differ on ${dir}`);
    return run;
  });
  const kubectlMs = kubectl.reduce((sum, r) => sum + r.ms, 0) / kubectl.length;
  const kubectlCpuMs = kubectl.reduce((sum, r) => sum + r.cpuMs, 0) / kubectl.length;
  const ratio = (kubectlMs / perOverlay).toFixed(0);
  const cpuRatio = (kubectlCpuMs / (render.cpuMs / overlays.length)).toFixed(0);
  row(`kubectl kustomize, ${sample.length} of them`, { ...median(kubectl), ms: kubectlMs, cpuMs: kubectlCpuMs }, `${kubectlMs.toFixed(0)} ms each (mean): ${ratio}× capifleet's per-overlay wall time, ${cpuRatio}× its CPU time; outputs identical`);

  measureValidate('(cluster graph from overlays/_management)', path.join(overlays[0]!, 'cluster.yaml'));
} finally {
  process.chdir(os.tmpdir());
  fs.rmSync(outputs, { recursive: true, force: true });
}

const header = ['run (through the CLI, fresh process)', 'wall', 'CPU', '', 'peak RSS', 'load (1 min)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`capifleet on the generated tree of ${clusters} AKS clusters (3 environments, 2 add-ons), ${os.cpus().length} CPUs:\n`);
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
