/**
 * changeReach: whether a Flux build of a folder, and what its Flux Kustomizations lead to, may read
 * a change, told from the kustomization files alone; where they do not bound it, it may.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileCache } from '../../src/engine/loader.js';
import { changeReach } from '../../src/diff/reach.js';
import { changeSet } from '../../src/diff/repository.js';
import { tempTree } from '../support/files.js';

const kustomization = (...lines: string[]): string => ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', ...lines, ''].join('\n');
const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const fluxKustomization = (name: string, to: string, extra: string[] = []): string =>
  ['apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${name}`, 'spec:', '  interval: 10m', `  path: ${to}`, '  sourceRef:', '    kind: GitRepository', '    name: repo', ...extra, ''].join('\n');

const root = fs.realpathSync(
  tempTree('diff-reach', {
    'README.md': 'not read\n',
    'base/app/kustomization.yaml': kustomization('resources:', '- app.yaml', 'configMapGenerator:', '- name: settings', '  files:', '  - key=settings.txt', '  envs:', '  - app.env'),
    'base/app/app.yaml': configMap('app'),
    'base/app/settings.txt': 'a\n',
    'base/app/app.env': 'A=1\n',
    'base/app/unused.yaml': configMap('unused'),
    'base/other/kustomization.yaml': kustomization('resources:', '- other.yaml'),
    'base/other/other.yaml': configMap('other'),
    'overlays/one/kustomization.yaml': kustomization('resources:', '- ../../base/app', 'patches:', '- path: patch.yaml'),
    'overlays/one/patch.yaml': configMap('app'),
    'overlays/helm/kustomization.yaml': kustomization('helmCharts:', '- name: chart'),
    'overlays/plain/app.yaml': configMap('plain'),
    'overlays/moves/kustomization.yaml': kustomization('resources:', '- ks.yaml', 'patches:', '- patch: |', '    - op: replace', '      path: /spec/path', '      value: ./elsewhere', '  target:', '    kind: Kustomization'),
    'overlays/moves/ks.yaml': fluxKustomization('apps', './base/other'),
    'overlays/patches-deployments/kustomization.yaml': kustomization('resources:', '- ks.yaml', 'patches:', '- patch: |', '    - op: replace', '      path: /spec/replicas', '      value: 2', '  target:', '    kind: Deployment'),
    'overlays/patches-deployments/ks.yaml': fluxKustomization('apps', './base/other'),
    'clusters/a/kustomization.yaml': kustomization('resources:', '- apps.yaml'),
    'clusters/a/apps.yaml': fluxKustomization('apps', './base/other'),
    'clusters/vars/kustomization.yaml': kustomization('resources:', '- apps.yaml'),
    'clusters/vars/apps.yaml': fluxKustomization('apps', './base/${NAME}'),
  }),
);
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Whether a Flux build of `folder` may read a change to `changed` (modified) or to `added` (on one side only). */
function mayRead(folder: string, changed: string[], added: string[] = [], spec: Record<string, unknown> = {}): boolean {
  const changes = changeSet(changed, added, (f) => fs.existsSync(path.join(root, f)));
  return changeReach(root, changes, new FileCache()).mayRead(folder, spec as never);
}

describe('changeReach', () => {
  const cases: [string, string, string[], string[], boolean][] = [
    ['a resource of a base it names', 'overlays/one', ['base/app/app.yaml'], [], true],
    ['a patch file it names', 'overlays/one', ['overlays/one/patch.yaml'], [], true],
    ['a generator file of a base (key=path)', 'overlays/one', ['base/app/settings.txt'], [], true],
    ['a generator env file of a base', 'overlays/one', ['base/app/app.env'], [], true],
    ['a base kustomization it names', 'overlays/one', ['base/app/kustomization.yaml'], [], true],
    ['a file beside a base that nothing names', 'overlays/one', ['base/app/unused.yaml'], [], false],
    ['a file added in a folder it reads (a kustomization file may appear)', 'overlays/one', [], ['base/app/kustomization.yml'], true],
    ['a base it does not name', 'overlays/one', ['base/other/other.yaml'], [], false],
    ['a file outside every kustomization', 'overlays/one', ['README.md'], [], false],
    ['helm charts: not bounded by files', 'overlays/helm', ['README.md'], [], true],
    ['a folder without a kustomization file: Flux lists it', 'overlays/plain', ['README.md'], [], true],
    ['where a Flux Kustomization among its resources goes', 'clusters/a', ['base/other/other.yaml'], [], true],
    ['not where it does not go', 'clusters/a', ['base/app/app.yaml'], [], false],
    ['a Flux path with a variable: anywhere', 'clusters/vars', ['README.md'], [], true],
    ['a patch that may set a Flux Kustomization path', 'overlays/moves', ['README.md'], [], true],
    ['a JSON patch of Deployments only', 'overlays/patches-deployments', ['README.md'], [], false],
    ['a folder that is not there, unless it is the change', 'overlays/gone', ['README.md'], [], false],
  ];
  for (const [what, folder, changed, added, expected] of cases) it(what, () => assert.equal(mayRead(folder, changed, added), expected));

  it('a spec whose components, substitutions from objects or path patches the files do not bound', () => {
    assert.equal(mayRead('overlays/one', ['README.md'], [], { components: ['../c'] }), true);
    assert.equal(mayRead('overlays/one', ['README.md'], [], { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] } }), true);
    assert.equal(mayRead('overlays/one', ['README.md'], [], { patches: [{ patch: '- op: replace\n  path: /spec/path\n  value: x\n' }] }), true);
    assert.equal(mayRead('overlays/one', ['README.md'], [], { postBuild: { substitute: { A: 'b' } } }), false);
  });
});

describe('changeReach: the kubeConfig names a Flux build and what it leads to may apply through', () => {
  const kubeConfig = (name: string): string[] => ['  kubeConfig:', '    secretRef:', `      name: ${name}`];
  const references = ['nameReference:', '- kind: Secret', '  version: v1', '  fieldSpecs:', '  - kind: Kustomization', '    path: spec/kubeConfig/secretRef/name', ''].join('\n');
  const secret = (name: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n`;
  const tree = fs.realpathSync(
    tempTree('diff-reach-applies', {
      'into/none/kustomization.yaml': kustomization('resources:', '- app.yaml'),
      'into/none/app.yaml': configMap('app'),
      'into/literal/kustomization.yaml': kustomization('resources:', '- ks.yaml'),
      'into/literal/ks.yaml': fluxKustomization('apps', './into/none', kubeConfig('a-kubeconfig')),
      'into/patched/kustomization.yaml': kustomization('resources:', '- ks.yaml', 'patches:', '- patch: |', '    kind: Kustomization', '    metadata:', '      name: infra', '    spec:', ...kubeConfig('b-kubeconfig').map((l) => `  ${l}`)),
      'into/patched/ks.yaml': fluxKustomization('infra', './into/literal'),
      'into/variable/kustomization.yaml': kustomization('resources:', '- ks.yaml'),
      'into/variable/ks.yaml': fluxKustomization('apps', './into/none', kubeConfig('${CLUSTER}-kubeconfig')),
      'into/json-patch/kustomization.yaml': kustomization('resources:', '- ks.yaml', 'patches:', '- patch: |', '    - op: add', '      path: /spec/kubeConfig', '      value: {}', '  target:', '    kind: Kustomization'),
      'into/json-patch/ks.yaml': fluxKustomization('apps', './into/none'),
      'into/renamed/kustomization.yaml': kustomization('namePrefix: p-', 'configurations:', '- references.yaml', 'resources:', '- ks.yaml', '- secret.yaml'),
      'into/renamed/references.yaml': references,
      'into/renamed/ks.yaml': fluxKustomization('apps', './into/none', kubeConfig('c-kubeconfig')),
      'into/renamed/secret.yaml': secret('c-kubeconfig'),
      'into/other-secret/kustomization.yaml': kustomization('namePrefix: p-', 'configurations:', '- references.yaml', 'resources:', '- ks.yaml', '- secret.yaml'),
      'into/other-secret/references.yaml': references,
      'into/other-secret/ks.yaml': fluxKustomization('apps', './into/none', kubeConfig('c-kubeconfig')),
      'into/other-secret/secret.yaml': secret('credentials'),
    }),
  );
  after(() => fs.rmSync(tree, { recursive: true, force: true }));
  const applies = (folder: string, spec: Record<string, unknown> = {}): string[] | undefined => {
    const names = changeReach(tree, changeSet([], [], () => true), new FileCache()).appliesInto(folder, spec as never);
    return names && [...names].sort();
  };

  const cases: [string, string, string[] | undefined][] = [
    ['none in its objects', 'into/none', []],
    ['one of a Flux Kustomization it holds', 'into/literal', ['a-kubeconfig']],
    ['one a patch sets, and those of where it leads', 'into/patched', ['a-kubeconfig', 'b-kubeconfig']],
    ['one with a variable: not known', 'into/variable', undefined],
    ['a JSON patch that may set one: not known', 'into/json-patch', undefined],
    ['one a name reference may rename (a Secret of that name and a prefix): not known', 'into/renamed', undefined],
    ['one no object of the referred kind could be renamed to', 'into/other-secret', ['c-kubeconfig']],
  ];
  for (const [what, folder, expected] of cases) it(what, () => assert.deepEqual(applies(folder), expected));

  it('one the Flux Kustomization’s own spec or patches name', () => {
    assert.deepEqual(applies('into/none', { patches: [{ patch: ['kind: Kustomization', 'spec:', ...kubeConfig('d-kubeconfig'), ''].join('\n') }] }), ['d-kubeconfig']);
    assert.deepEqual(applies('into/none', { kubeConfig: { secretRef: { name: 'e-kubeconfig' } } }), ['e-kubeconfig']);
  });
});
