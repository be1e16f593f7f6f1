import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { casesDir } from './paths.js';

/** One differential case: a kustomization tree with kustomize's committed verdict on it. */
export interface DiffCase {
  name: string;
  dir: string;
  /** Extra `capifleet render` flags from the case's `args` file. */
  args: string[];
  expectedYaml?: string;
  expectedError?: string;
  /** Why kubectl must not be run live on this case (from its `no-live-check` file), e.g. it would reach the network. */
  noLiveCheck?: string;
}

export function listCases(): DiffCase[] {
  if (!fs.existsSync(casesDir)) return [];
  return fs
    .readdirSync(casesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(casesDir, name);
      const read = (f: string): string | undefined => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : undefined);
      const args = (read('args') ?? '').split(/\s+/).filter(Boolean);
      // a `target` file names a sub-directory to build, for trees whose root must not be the build root
      const target = read('target')?.trim();
      const c: DiffCase = { name, dir: target ? path.join(dir, target) : dir, args };
      const y = read('expected.yaml');
      const e = read('expected.err');
      if (y !== undefined) c.expectedYaml = y;
      if (e !== undefined) c.expectedError = e;
      const noLive = read('no-live-check');
      if (noLive !== undefined) c.noLiveCheck = noLive.trim();
      return c;
    });
}

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** kubectl's flags for a case's capifleet flags. */
function kubectlArgs(c: DiffCase): string[] {
  const out: string[] = [];
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i]!;
    if (a === '--load-restrictor') out.push('--load-restrictor', c.args[++i] === 'none' ? 'LoadRestrictionsNone' : 'LoadRestrictionsRootOnly');
    else if (a === '--enable-helm') out.push('--enable-helm');
    else throw new Error(`case ${c.name}: unknown arg ${a}`);
  }
  return out;
}

/** Runs the reference: `kubectl kustomize` (Kustomize v5.5.0). Only `kustomize`, never a cluster call. */
export function runKustomize(c: DiffCase): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('kubectl', ['kustomize', ...kubectlArgs(c), c.dir], { encoding: 'utf8' });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** capifleet's render options for a case's flags. */
export function renderOptions(c: DiffCase): { loadRestrictor: 'root' | 'none'; enableHelm: boolean } {
  const i = c.args.indexOf('--load-restrictor');
  return { loadRestrictor: i >= 0 && c.args[i + 1] === 'none' ? 'none' : 'root', enableHelm: c.args.includes('--enable-helm') };
}

/** Every YAML file of the differential cases (`Kustomization` included), for readers compared on them. */
export function caseYamlFiles(dir = casesDir): string[] {
  return fs.readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) return caseYamlFiles(full);
    return /\.ya?ml$|^Kustomization$/.test(name) ? [full] : [];
  });
}
