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
import { changeSet, diffRepository, readsTouching } from '../../src/diff/repository.js';
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

describe('readsTouching', () => {
  const changes = changeSet(['base/app.yaml'], ['overlays/a/extra.yaml', 'lib/x/y.yaml'], (f) => f !== 'lib/x');

  it('a changed file read', () => assert.equal(readsTouching(root, changes)(reads(['base/app.yaml', 'read'])), true));
  it('a path below a folder on one side only', () => assert.equal(readsTouching(root, changes)(reads(['lib/x/z.yaml', 'stat'])), true));
  it('a listed folder that gained a file', () => assert.equal(readsTouching(root, changes)(reads(['overlays/a', 'list'])), true));
  it('the same folder only stat’ed', () => assert.equal(readsTouching(root, changes)(reads(['overlays/a', 'stat', 'resolve'])), false));
  it('nothing changed that it looked at', () => assert.equal(readsTouching(root, changes)(reads(['base/other.yaml', 'read'], ['overlays/b', 'list'])), false));
  it('a path outside the repository', () => assert.equal(readsTouching(root, changes)(reads(['../elsewhere/app.yaml', 'read'])), false));
  it('one path looked at two ways by two builds: each build’s own ways count', () => {
    const touches = readsTouching(root, changes);
    assert.deepEqual([touches(reads(['overlays/a', 'stat'])), touches(reads(['overlays/a', 'list'])), touches(reads(['overlays/a', 'resolve']))], [false, true, false]);
  });
  it('no changes', () => assert.equal(readsTouching(root, changeSet([], [], () => true))(reads(['base/app.yaml', 'read'])), false));
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
