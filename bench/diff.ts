/**
 * Benchmark of `capifleet diff` on the tree `capifleet generate` writes, through the CLI in fresh
 * processes, start-up included:
 * - environment against environment over a 1000-cluster fleet whose staging runs a newer
 *   Kubernetes than prod (target ≤ 5 s);
 * - `diff --base-ref HEAD` after one file of one cluster changed, on a 300-cluster fleet committed
 *   to a temporary git repository (target ≤ 1 s): with nothing kept from earlier runs (a fresh
 *   CI checkout), then with the build store warm (the working tree's graph builds the first run,
 *   or a validate before it, kept in .capifleet-cache/).
 * Each figure is the median of a few runs, with its CPU time (user + system) and the load average,
 * since a shared machine's wall times swing with it.
 *
 *   npm run bench:diff [-- envClusters refClusters rounds]     (default: 1000 300 3)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { FleetSpec } from '../src/fleet/types.js';
import { fleetFixture } from '../test/generate/fleet-fixture.js';
import { cliPath } from '../test/support/paths.js';

const envClusters = Number(process.argv[2] ?? 1000);
const refClusters = Number(process.argv[3] ?? 300);
const rounds = Number(process.argv[4] ?? 3);

interface Run {
  ms: number;
  cpuMs: number;
  load: number;
  stdout: string;
}

/** One CLI run in `cwd` under /usr/bin/time (for its CPU time); throws unless it exits 0. */
function capifleet(cwd: string, args: string[]): Run {
  const timeFile = path.join(os.tmpdir(), `capifleet-bench-diff-time-${process.pid}`);
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, cliPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`capifleet ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  const [user, system] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(timeFile, { force: true });
  return { ms, cpuMs: (user! + system!) * 1000, load: os.loadavg()[0]!, stdout: r.stdout };
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}

/** The fixture fleet with staging on a newer Kubernetes than prod, written and generated into a new folder. */
function generatedFleet(clusters: number, staging: boolean): string {
  const spec = structuredClone(fleetFixture({ clusters, providers: ['aks', 'azure', 'docker'] }).spec) as FleetSpec;
  if (staging) for (const env of spec.spec.environments) if (env.name === 'staging') env.defaults = { ...env.defaults, kubernetesVersion: 'v1.33.4' };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-bench-diff-'));
  fs.writeFileSync(path.join(root, 'fleet.yaml'), stringify(spec));
  capifleet(root, ['generate']);
  return root;
}

/** Clusters changed, from a JSON report. */
function changed(run: Run): string[] {
  return (JSON.parse(run.stdout) as { clusters: { name: string; status: string }[] }).clusters.filter((c) => c.status !== 'unchanged').map((c) => c.name);
}

const rows: string[][] = [];
const row = (what: string, runs: Run[], target: number, note: string): void => {
  const m = median(runs);
  rows.push([what, `${(m.ms / 1000).toFixed(2)} s`, `${(m.cpuMs / 1000).toFixed(2)} s`, `≤ ${target / 1000} s: ${m.ms <= target ? 'met' : 'not met'}`, note, m.load.toFixed(1)]);
};

const roots: string[] = [];
try {
  const envRoot = generatedFleet(envClusters, true);
  roots.push(envRoot);
  const envRuns = Array.from({ length: rounds }, () => capifleet(envRoot, ['diff', 'staging', 'prod', '-o', 'json']));
  const prod = changed(envRuns[0]!).length;
  if (prod === 0) throw new Error('diff staging prod found no change');
  row(`env vs env, ${envClusters} clusters`, envRuns, 5000, `${prod} prod clusters changed`);

  const repo = generatedFleet(refClusters, false);
  roots.push(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'fleet');
  const overlays = path.join(repo, 'overlays', 'prod');
  const cluster = fs.readdirSync(overlays).filter((d) => !d.startsWith('_')).sort()[0]!;
  const edited = path.join(overlays, cluster, 'flux', 'kustomization.yaml');
  fs.writeFileSync(edited, fs.readFileSync(edited, 'utf8').replace(/^namePrefix: .*$/m, (line) => `${line}\ncommonAnnotations:\n  bench/edited: "yes"`));
  const cold = Array.from({ length: rounds }, () => {
    fs.rmSync(path.join(repo, '.capifleet-cache'), { recursive: true, force: true });
    return capifleet(repo, ['diff', '--base-ref', 'HEAD', '-o', 'json']);
  });
  const names = changed(cold[0]!);
  if (names.join() !== cluster) throw new Error(`the git-ref diff named ${names.join(', ') || 'no cluster'}, not ${cluster}`);
  row(`git ref, one file changed, ${refClusters} clusters, nothing kept`, cold, 1000, `names ${cluster} only`);
  const warm = Array.from({ length: rounds }, () => capifleet(repo, ['diff', '--base-ref', 'HEAD', '-o', 'json']));
  if (changed(warm[0]!).join() !== cluster) throw new Error('the warm git-ref diff named other clusters');
  row(`git ref, one file changed, ${refClusters} clusters, build store warm`, warm, 1000, `names ${cluster} only`);
} finally {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
}

const header = ['run (through the CLI, fresh process; median)', 'wall', 'CPU', 'target', '', 'load (1 min)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`capifleet diff on generated trees, ${rounds} runs each, ${os.cpus().length} CPUs:\n`);
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
