/**
 * Which builds a set of changes can reach: a file a build read, stat'ed or resolved (or a folder
 * above it) changed, or a folder it listed gained or lost a name.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Read } from '../../src/engine/read-set.js';
import { FileCache } from '../../src/engine/loader.js';
import { getPath } from '../../src/json/value.js';
import { changeSet, diffRepository, readsTouch } from '../../src/diff/repository.js';
import { tempTree } from '../support/files.js';

const root = '/repo';
const reads = (...entries: [string, ...Read['kinds']][]): Read[] => entries.map(([p, ...kinds]) => ({ path: `${root}/${p}`, kinds }));

describe('changeSet', () => {
  it('a file added in a folder both sides have changes that folder’s listing only', () => {
    const c = changeSet(['a/kustomization.yaml'], ['a/new.yaml'], () => true);
    assert.deepEqual([...c.paths].sort(), ['a/kustomization.yaml', 'a/new.yaml']);
    assert.deepEqual([...c.listings], ['a']);
  });

  it('a file in a new folder: the folder is on one side only, and its parent’s listing changed', () => {
    const c = changeSet([], ['a/b/new.yaml'], (folder) => folder === 'a');
    assert.deepEqual([...c.paths].sort(), ['a/b', 'a/b/new.yaml']);
    assert.deepEqual([...c.listings].sort(), ['a', 'a/b']);
  });

  it('a file at the top changes the top listing', () => {
    assert.deepEqual([...changeSet([], ['fleet.yaml'], () => true).listings], ['']);
  });
});

describe('readsTouch', () => {
  const changes = changeSet(['base/app.yaml'], ['overlays/a/extra.yaml', 'lib/x/y.yaml'], (f) => f !== 'lib/x');

  it('a changed file read', () => assert.equal(readsTouch(reads(['base/app.yaml', 'read']), root, changes), true));
  it('a path below a folder on one side only', () => assert.equal(readsTouch(reads(['lib/x/z.yaml', 'stat']), root, changes), true));
  it('a listed folder that gained a file', () => assert.equal(readsTouch(reads(['overlays/a', 'list']), root, changes), true));
  it('the same folder only stat’ed', () => assert.equal(readsTouch(reads(['overlays/a', 'stat', 'resolve']), root, changes), false));
  it('nothing changed that it looked at', () => assert.equal(readsTouch(reads(['base/other.yaml', 'read'], ['overlays/b', 'list']), root, changes), false));
  it('a path outside the repository', () => assert.equal(readsTouch(reads(['../elsewhere/app.yaml', 'read']), root, changes), false));
  it('no changes', () => assert.equal(readsTouch(reads(['base/app.yaml', 'read']), root, changeSet([], [], () => true)), false));
});

describe('diffRepository', () => {
  /** A management cluster whose Kustomization applies ./workload into another cluster with variables from a ConfigMap of its own. */
  const repository = (greeting: string): Record<string, string> => ({
    'clusters/mgmt/vars.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  GREETING: ${greeting}\n`,
    'clusters/mgmt/workload.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: workload',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  prune: true',
      '  path: ./workload',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
      '  kubeConfig:',
      '    secretRef:',
      '      name: wl-kubeconfig',
      '  postBuild:',
      '    substituteFrom:',
      '    - kind: ConfigMap',
      '      name: cluster-vars',
      '',
    ].join('\n'),
    'workload/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: default\ndata:\n  greeting: ${GREETING}\n',
  });

  it('a cluster none of whose files changed is named when the variables it substitutes from another build changed', () => {
    const base = tempTree('diff-repository-base', repository('hello'));
    const working = tempTree('diff-repository-working', repository('bonjour'));
    try {
      const result = diffRepository({ working, base: { root: base, fileCache: new FileCache() }, changes: changeSet(['clusters/mgmt/vars.yaml'], [], () => true) });
      assert.equal(result.via, 'cluster graph');
      const workload = result.clusters.find((c) => c.name === 'wl-kubeconfig');
      assert.ok(workload, `named: ${result.clusters.map((c) => c.name).join(', ')}`);
      assert.deepEqual(
        [workload.from, workload.to].map((side) => side!.map((r) => getPath(r.obj, ['data']))),
        [[{ greeting: 'hello' }], [{ greeting: 'bonjour' }]],
      );
    } finally {
      for (const dir of [base, working]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
