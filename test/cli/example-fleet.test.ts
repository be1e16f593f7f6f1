/**
 * The repository's own example fleet (fleet.yaml, base/, overlays/) can never rot: the committed
 * tree is what the spec generates, every overlay renders as kubectl kustomize renders it, and the
 * repository, as Flux applies it from the management entry point (the tool's own folders left out
 * by `.capifleet.yaml`), validates with zero errors under strict references in the management
 * cluster and in every workload cluster.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileCache } from '../../src/engine/loader.js';
import { renderYaml } from '../../src/engine/output.js';
import { render } from '../../src/engine/target.js';
import { discoverInputs } from '../../src/validate/inputs.js';
import { kubectlAvailable } from '../support/cases.js';
import { cliPath, repoRoot } from '../support/paths.js';

function capifleet(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the example fleet', () => {
  it('is what fleet.yaml generates (generate --check)', () => {
    const run = capifleet('generate', '--check');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /the tree is current/);
  });

  it('validates with zero errors under --strict-refs, the management cluster and each workload cluster with the values Flux substitutes', () => {
    const run = capifleet('validate', '--strict-refs', '--no-cache', '-o', 'json');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as { summary: { errors: number; infos: number }; overlays: { name: string; resources: number }[] };
    assert.equal(report.summary.errors, 0);
    assert.equal(report.summary.infos, 0, 'every source is followed');
    const workload = ['dev-local-1', 'dev-weu-1', 'prod-neu-1', 'prod-weu-1', 'staging-weu-1', 'staging-weu-2'];
    // the management cluster gets every overlay; a workload cluster what base/workload holds, its values substituted
    assert.deepEqual(
      report.overlays.map((u) => [u.name, u.resources > 0]),
      [['cluster management', true], ...workload.map((c) => [`cluster ${c}`, true]), ['.', false]],
    );
  });

  it('the README gives the same check as its first command', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    assert.match(readme, /^npm ci && npx capifleet generate --check && npx capifleet validate --strict-refs +#/m);
  });

  const overlays = discoverInputs([path.join(repoRoot, 'overlays')]).flatMap((input) => (input.kind === 'kustomization' ? [input.dir] : []));
  it("has an overlay for each of its six clusters, and the management entry point's environments", () => {
    assert.deepEqual(overlays.map((d) => path.relative(repoRoot, d)).sort(), ['overlays/_management/dev', 'overlays/_management/prod', 'overlays/_management/staging', 'overlays/dev/dev-local-1', 'overlays/dev/dev-weu-1', 'overlays/prod/prod-neu-1', 'overlays/prod/prod-weu-1', 'overlays/staging/staging-weu-1', 'overlays/staging/staging-weu-2']);
  });

  const live = kubectlAvailable();
  for (const dir of [...overlays, path.join(repoRoot, 'base', 'workload')]) {
    const name = path.relative(repoRoot, dir);
    it(`${name} renders as kubectl kustomize does`, { skip: live ? false : 'kubectl is not installed' }, () => {
      const kubectl = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      assert.equal(kubectl.status, 0, kubectl.stderr);
      assert.equal(renderYaml(render(dir, { fileCache: new FileCache() })), kubectl.stdout);
    });
  }
});
