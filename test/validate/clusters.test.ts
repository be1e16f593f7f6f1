import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { discoverRepositoryInputs } from '../../src/validate/clusters.js';
import { tempTree } from '../support/files.js';
import { inputSummary as summary } from '../support/inputs.js';

const fluxKs = (name: string, spec: string): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${spec}`;
const cm = (name: string, data = 'a: "1"'): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  ${data}\n`;

/** A repository with one bootstrapped cluster, a build that fails, a substitution that fails, and folders no cluster reaches. */
function repository(): string {
  return tempTree('validate-clusters', {
    'clusters/staging/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
    'clusters/staging/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
    'clusters/staging/apps.yaml': fluxKs('apps', '  path: ./apps\n  postBuild:\n    substitute:\n      ENV: staging\n'),
    'clusters/staging/broken.yaml': fluxKs('broken', '  path: ./broken\n'),
    'apps/cm.yaml': cm('app', 'env: ${ENV}-${REGION}'),
    'broken/kustomization.yaml': 'resources: [absent.yaml]\n',
    'templates/flavor.yaml': cm('unreached'),
    'overlay/kustomization.yaml': 'resources: [cm.yaml]\n',
    'overlay/cm.yaml': cm('overlay'),
  });
}


describe('validate: a repository Flux applies, cluster by cluster', () => {
  it('makes one unit per cluster of the graph, then what no cluster reaches', () => {
    const root = repository();
    assert.deepEqual(summary(discoverRepositoryInputs([root]), root), [
      'cluster staging: app,apps,broken (flux/substitution,input/build)',
      'kustomization overlay',
      'files templates/flavor.yaml',
    ]);
  });

  it('turns what Flux would refuse into findings of the cluster, at the file and line to edit', () => {
    const root = repository();
    const [staging] = discoverRepositoryInputs([root]);
    assert.ok(staging?.kind === 'cluster');
    const found = staging.loaded.problems.map((f) => `${f.ruleId} ${f.overlay} ${path.relative(root, f.location!.file)}:${f.location!.line} ${f.message}`);
    assert.equal(found.length, 2);
    assert.match(found[0]!, /^flux\/substitution cluster staging apps\/cm\.yaml:7 Kustomization flux-system\/apps: post build failed for 'v1_ConfigMap\/app': variable not set \(strict mode\): "REGION"$/);
    assert.match(found[1]!, /^input\/build cluster staging broken\/kustomization\.yaml:1 Kustomization flux-system\/broken: /);
  });

  it('counts the source and Kustomization flux bootstrap creates as present in the cluster', () => {
    const root = repository();
    const [staging] = discoverRepositoryInputs([root]);
    assert.ok(staging?.kind === 'cluster');
    assert.deepEqual(staging.loaded.unit.created, [
      { group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' },
      { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' },
    ]);
  });

  it('leaves a missing substituteFrom object to the flux/values-from rule, which reports it once', () => {
    const root = tempTree('validate-clusters', {
      'clusters/one/flux-system/gotk-sync.yaml': '',
      'clusters/one/app.yaml': fluxKs('app', '  path: ./app\n  postBuild:\n    substituteFrom:\n    - kind: Secret\n      name: made-elsewhere\n'),
      'app/cm.yaml': cm('app', 'v: ${FROM_ELSEWHERE}'),
    });
    const [one] = discoverRepositoryInputs([root]);
    assert.ok(one?.kind === 'cluster');
    assert.deepEqual(one.loaded.problems, []);
  });

  it('a path with a remote resource, which kustomize-controller fetches, is left unchecked (a warning), not a build error', () => {
    const root = tempTree('validate-clusters', {
      'clusters/mgmt/flux-system/gotk-sync.yaml': '',
      'clusters/mgmt/infra.yaml': fluxKs('infra', '  path: ./infrastructure/dashboard\n'),
      'infrastructure/dashboard/kustomization.yaml': 'resources: [https://example.com/dashboard/recommended.yaml]\n',
    });
    const [mgmt] = discoverRepositoryInputs([root]);
    assert.ok(mgmt?.kind === 'cluster');
    assert.deepEqual(mgmt.loaded.problems.map((f) => `${f.ruleId} ${f.severity}`), ['input/unchecked warning']);
    assert.match(mgmt.loaded.problems[0]!.message, /^Kustomization flux-system\/infra: remote resource 'https:\/\/example\.com\/dashboard\/recommended\.yaml' cannot be fetched/);
  });

  it('lists a source that is not this repository as an info finding', () => {
    const root = tempTree('validate-clusters', {
      'clusters/one/flux-system/gotk-sync.yaml': '',
      'clusters/one/other.yaml': fluxKs('other', '  path: ./x\n').replace('name: flux-system', 'name: elsewhere'),
    });
    const [one] = discoverRepositoryInputs([root]);
    assert.ok(one?.kind === 'cluster');
    assert.deepEqual(
      one.loaded.problems.map((f) => `${f.ruleId} ${f.severity}: ${f.message}`),
      ['flux/source-not-followed info: Kustomization flux-system/other: GitRepository flux-system/elsewhere is not among the objects of the cluster'],
    );
  });

  it('checks a tree that no Flux applies, a kustomization folder and files as before', () => {
    const root = repository();
    assert.deepEqual(summary(discoverRepositoryInputs([path.join(root, 'overlay')]), root), ['kustomization overlay']);
    assert.deepEqual(summary(discoverRepositoryInputs([path.join(root, 'templates')]), root), ['files templates/flavor.yaml']);
    assert.deepEqual(summary(discoverRepositoryInputs([path.join(root, 'templates/flavor.yaml'), path.join(root, 'overlay')]), root), [
      'files templates/flavor.yaml',
      'kustomization overlay',
    ]);
  });
});
