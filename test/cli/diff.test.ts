/**
 * `capifleet diff` end to end over a generated fleet whose staging environment runs a newer
 * Kubernetes than prod: the bump shows in every output format, clusters and overlay directories
 * compare too, and bad input is one line with exit 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { FleetSpec } from '../../src/fleet/types.js';
import { generateTree } from '../../src/generate/tree.js';
import { tempTree } from '../support/files.js';
import { cliPath } from '../support/paths.js';
import { ENVIRONMENTS, fleetFixture, resolveFleet, writeTree } from '../generate/fleet-fixture.js';

function capifleet(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('capifleet diff', () => {
  let root = '';
  let prodClusters: string[] = [];
  before(() => {
    const base = fleetFixture({ clusters: 6, providers: ['aks', 'azure', 'docker'] });
    const spec = structuredClone(base.spec) as FleetSpec;
    spec.spec.environments = ENVIRONMENTS.map((e) => (e.name === 'staging' ? { ...e, defaults: { ...e.defaults, kubernetesVersion: 'v1.33.4' } } : e));
    const fleet = resolveFleet(spec);
    root = tempTree('diff-cli', { 'fleet.yaml': JSON.stringify(spec, null, 2) });
    writeTree(root, generateTree(fleet).files);
    prodClusters = fleet.clusters.filter((c) => c.environment === 'prod').map((c) => c.name);
    assert.ok(prodClusters.length >= 2);
  });

  it('text: a staging-only bump, at the level of the spec and in every prod cluster', () => {
    const r = capifleet(['diff', 'staging', 'prod'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^capifleet diff staging → prod\n2 of 2 clusters changed/);
    assert.match(r.stdout, /^ {2}kubernetesVersion: staging v1\.33\.4, prod v1\.32\.6$/m);
    for (const name of prodClusters) assert.match(r.stdout, new RegExp(`^cluster ${name} \\(changed\\)$`, 'm'));
    assert.match(r.stdout, /^-\s+version: v1\.33\.4$/m);
    assert.match(r.stdout, /^\+\s+version: v1\.32\.6$/m);
    // what a cluster sets itself is not drift: prod's own add-on settings and names do not show
    assert.doesNotMatch(r.stdout, /^[-+]\s+name: staging-/m);
    assert.match(r.stdout, /capi\/version-jump/);
  });

  it('markdown and json: the same bump', () => {
    const md = capifleet(['diff', 'staging', 'prod', '--output', 'markdown'], root);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /\| `kubernetesVersion` \| `v1\.33\.4` \| `v1\.32\.6` \|/);
    for (const name of prodClusters) assert.match(md.stdout, new RegExp(`<summary>${name}: \\d+ changed</summary>`));
    const json = capifleet(['diff', 'staging', 'prod', '-o', 'json'], root);
    assert.equal(json.status, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { settings: unknown[]; clusters: { name: string; status: string }[] };
    // prod's own add-on values (an environment setting too) are there as well
    assert.deepEqual(out.settings[0], { path: 'kubernetesVersion', from: 'v1.33.4', to: 'v1.32.6' });
    assert.deepEqual(out.clusters.map((c) => `${c.name} ${c.status}`), prodClusters.map((n) => `${n} changed`));
  });

  it('--exit-code: 1 when the sides differ, 0 when they do not', () => {
    assert.equal(capifleet(['diff', 'staging', 'prod', '--exit-code'], root).status, 1);
    const same = capifleet(['diff', 'prod', 'prod', '--exit-code'], root);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /0 of 2 clusters changed/);
  });

  it('compares two clusters, or two folders of overlays paired by role, reading each cluster’s name as one', () => {
    const [a, b] = prodClusters;
    const r = capifleet(['diff', a!, b!, '-o', 'json'], root);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { clusters: { name: string; resources: { name: string }[] }[] };
    assert.equal(out.clusters[0]!.name, `${a} → ${b}`);
    for (const res of out.clusters[0]!.resources) assert.ok(!res.name.includes(a!) && !res.name.includes(b!), res.name);
    const dirs = capifleet(['diff', path.join('overlays', 'prod'), path.join('overlays', 'prod'), '--exit-code'], root);
    assert.equal(dirs.status, 0, dirs.stderr);
    assert.match(dirs.stdout, /0 of 2 clusters changed/);
  });

  it('bad input: one line, exit 2', () => {
    for (const args of [
      ['diff', 'qa', 'prod'],
      ['diff', 'staging', 'no/such/dir'],
      ['diff', 'staging', prodClusters[0]!],
      ['diff', 'staging', 'prod', '--ignore', 'spec[oops'],
    ]) {
      const r = capifleet(args, root);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^capifleet: /);
      assert.equal(r.stdout, '');
    }
  });
});
