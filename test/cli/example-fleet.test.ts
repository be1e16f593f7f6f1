/**
 * The repository's own example fleet (fleet.yaml, base/, overlays/) can never rot: the committed
 * tree is what the spec generates, every overlay renders as kubectl kustomize renders it, and the
 * whole tree validates with zero errors under strict references.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

  it('validates with zero errors under --strict-refs', () => {
    const run = capifleet('validate', '--strict-refs', 'base', 'overlays');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ 0 errors, \d+ warnings in 14 overlays/);
  });

  const overlays = discoverInputs([path.join(repoRoot, 'overlays')]).flatMap((input) => (input.kind === 'kustomization' ? [input.dir] : []));
  it('has an overlay for each of its six clusters', () => {
    assert.equal(overlays.length, 6);
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
