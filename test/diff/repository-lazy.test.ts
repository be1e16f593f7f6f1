/**
 * diffRepository through the cluster graph of a generated fleet builds only the Flux Kustomizations
 * a change may reach, yet reports exactly what a full build of both states reports: each case
 * compares its JSON report, byte for byte, with one made from both states' whole graphs.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildClusterGraph } from '../../src/cluster-graph/graph.js';
import { FileCache } from '../../src/engine/loader.js';
import { changeSet, clusterUnits, diffRepository, readsTouching, type ChangeSet, type ClusterUnit } from '../../src/diff/repository.js';
import { diffClusters, type ClusterInput } from '../../src/diff/report.js';
import { generateTree, clusterDir } from '../../src/generate/tree.js';
import { DIFF_WRITERS } from '../../src/report/diff/index.js';
import { fleetFixture, writeTree } from '../generate/fleet-fixture.js';
import { tempTree } from '../support/files.js';

const fleet = fleetFixture({ clusters: 6, providers: ['aks', 'docker'] });
const [first, second] = fleet.clusters;

/** The JSON report of `clusters`, as the CLI prints it. */
function report(clusters: ClusterInput[]): string {
  return DIFF_WRITERS.json.render(diffClusters({ from: 'base', to: 'working tree' }, clusters), { color: false });
}

/**
 * What a full build of both states reports: every cluster of both whole graphs, those a change
 * reaches (a build read it) or whose objects differ.
 */
function fullReport(base: string, working: string, changes: ChangeSet, url = fleet.spec.spec.repository.url): string {
  const units = (root: string): ClusterUnit[] => clusterUnits(buildClusterGraph(root, { repositoryUrls: [url] }));
  const reached = (root: string, unit: ClusterUnit): boolean => unit.builds.some((b) => readsTouching(root, changes)(b.reads.entries()));
  const json = (unit: ClusterUnit): string => JSON.stringify(unit.resources.map((r) => r.obj));
  const before = new Map(units(base).map((u) => [u.name, u]));
  const clusters: ClusterInput[] = [];
  for (const unit of units(working)) {
    const was = before.get(unit.name);
    before.delete(unit.name);
    if (was && !reached(working, unit) && !reached(base, was) && json(was) === json(unit)) continue;
    clusters.push({ name: unit.name, to: unit.resources, ...(was ? { from: was.resources } : {}), pruned: unit.pruned });
  }
  for (const was of before.values()) clusters.push({ name: was.name, from: was.resources, pruned: was.pruned });
  return report(clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

interface SmallDiff {
  /** Each reached cluster's changed objects as `cluster change name`, and how many of its objects are unchanged. */
  changes: string[];
  unchanged: Record<string, number>;
  /** The JSON report, and a full build's of both states. */
  lazy: string;
  full: string;
  /** How many Flux Kustomizations the diff left out. */
  leftOut: number;
}

/** diffRepository of two small trees (the base's files and the working tree's) where the `changed` files differ, and a full build's report of them. */
function smallDiff(name: string, before: Record<string, string>, after: Record<string, string>, changed: string[], url?: string): SmallDiff {
  const base = fs.realpathSync(tempTree(`${name}-base`, before));
  const working = fs.realpathSync(tempTree(`${name}-working`, after));
  try {
    const changes = changeSet(changed, [], () => true);
    const result = diffRepository({ working, base: { root: base, fileCache: new FileCache() }, changes });
    const lazy = report(result.clusters);
    const clusters = (JSON.parse(lazy) as { clusters: { name: string; unchanged: number; resources: { name: string; change: string }[] }[] }).clusters;
    return {
      changes: clusters.flatMap((c) => c.resources.map((r) => `${c.name} ${r.change} ${r.name}`)),
      unchanged: Object.fromEntries(clusters.map((c) => [c.name, c.unchanged])),
      lazy,
      full: fullReport(base, working, changes, url),
      leftOut: result.built.leftOut,
    };
  } finally {
    for (const dir of [base, working]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('diffRepository leaves out what no change reaches', () => {
  let base = '';
  before(() => {
    base = fs.realpathSync(tempTree('diff-lazy-base', { 'fleet.yaml': JSON.stringify(fleet.spec) }));
    writeTree(base, generateTree(fleet).files);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const edit = (file: string, change: (text: string) => string) => (root: string) => {
    const at = path.join(root, file);
    const text = fs.existsSync(at) ? fs.readFileSync(at, 'utf8') : '';
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.writeFileSync(at, change(text));
  };
  const overlay = (c: typeof first) => clusterDir(c!);
  const cases: { what: string; file: string; added?: boolean; change: (root: string) => void; names: string[]; leftOut: boolean }[] = [
    {
      what: 'a change to one cluster’s Flux overlay names that cluster only',
      file: `${overlay(first)}/flux/kustomization.yaml`,
      change: edit(`${overlay(first)}/flux/kustomization.yaml`, (t) => t.replace(/^namePrefix: .*$/m, (line) => `${line}\ncommonAnnotations:\n  edited: "yes"`)),
      names: [first!.name],
      leftOut: true,
    },
    {
      what: 'a change to one cluster’s CAPI objects names that cluster only',
      file: `${overlay(second)}/cluster.yaml`,
      change: edit(`${overlay(second)}/cluster.yaml`, (t) => t.replace(/^    index: "1"$/m, '    index: "1"\n    edited: "yes"')),
      names: [second!.name],
      leftOut: true,
    },
    {
      what: 'a file outside every cluster’s reach names no cluster',
      file: 'docs/notes.yaml',
      added: true,
      change: edit('docs/notes.yaml', () => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n'),
      names: [],
      leftOut: true,
    },
    {
      what: 'a change to what every workload cluster receives names every cluster',
      file: 'base/workload/cluster-info.yaml',
      change: edit('base/workload/cluster-info.yaml', (t) => t.replace(/^data:\n/m, 'data:\n  edited: "yes"\n')),
      names: fleet.clusters.map((c) => c.name).sort(),
      leftOut: false,
    },
    {
      what: 'a change to the management entry point’s Kustomization of one cluster',
      file: `overlays/_management/${first!.environment}/${first!.name}.yaml`,
      change: edit(`overlays/_management/${first!.environment}/${first!.name}.yaml`, (t) => t.replace(/interval: 10m/, 'interval: 5m')),
      names: ['management'],
      leftOut: false,
    },
  ];
  for (const c of cases) {
    it(`${c.what}, as a full build of both states reports it`, () => {
      const working = fs.realpathSync(tempTree('diff-lazy-working'));
      try {
        fs.cpSync(base, working, { recursive: true });
        c.change(working);
        const changes = changeSet(c.added ? [] : [c.file], c.added ? [c.file] : [], (f) => fs.existsSync(path.join(base, f)) && fs.existsSync(path.join(working, f)));
        const result = diffRepository({ working, base: { root: base, fileCache: new FileCache() }, changes });
        assert.equal(result.via, 'cluster graph');
        const lazy = report(result.clusters);
        const names = (JSON.parse(lazy) as { clusters: { name: string; status: string }[] }).clusters.filter((x) => x.status !== 'unchanged').map((x) => x.name);
        assert.deepEqual(names, c.names);
        assert.equal(result.built.leftOut > 0, c.leftOut, `left out ${result.built.leftOut}`);
        assert.equal(lazy, fullReport(base, working, changes));
      } finally {
        fs.rmSync(working, { recursive: true, force: true });
      }
    });
  }
});

describe('diffRepository where a change moves an entry point', () => {
  const sync = (to: string): string =>
    ['apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: flux-system', '  namespace: flux-system', 'spec:', '  interval: 10m', `  path: ${to}`, '  sourceRef:', '    kind: GitRepository', '    name: flux-system', ''].join('\n');
  const app = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\n`;
  const files = (to: string): Record<string, string> => ({
    'clusters/one/flux-system/gotk-sync.yaml': sync(to),
    'clusters/one/flux-system/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-sync.yaml\n',
    'apps/a/app.yaml': app('a'),
    'apps/b/app.yaml': app('b'),
  });

  it('the base searches its own entry points, and reports what a full build of both states reports', () => {
    const d = smallDiff('diff-lazy-entry', files('./apps/a'), files('./apps/b'), ['clusters/one/flux-system/gotk-sync.yaml']);
    // the bootstrap folder's cluster sees its Kustomization changed; the entry point it declares moved from apps/a to apps/b
    assert.deepEqual(d.changes, ['apps/a removed a', 'apps/b added b', 'one changed flux-system']);
    assert.equal(d.lazy, d.full);
  });
});

describe('diffRepository where what it would leave out matters after all', () => {
  const url = 'https://example.com/fleet';
  const flux = (name: string, to: string, source: string, more = ''): string =>
    ['apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${name}`, '  namespace: flux-system', 'spec:', '  interval: 10m', `  path: ${to}`, '  sourceRef:', '    kind: GitRepository', `    name: ${source}`, more].join('\n');
  const kustomization = (file: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ${file}\n`;
  const configMap = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  value: ${value}\n`;

  it('a cluster the change reaches that another Kustomization, one it would leave out, applies into too: its objects are there, as a full build has them', () => {
    const kubeConfig = '  kubeConfig:\n    secretRef:\n      name: spoke-kubeconfig\n';
    const hub = (value: string): Record<string, string> => ({
      'clusters/hub/a.yaml': flux('a', './apps/a', 'flux-system', kubeConfig),
      'clusters/hub/b.yaml': flux('b', './apps/b', 'flux-system', kubeConfig),
      'apps/a/kustomization.yaml': kustomization('a.yaml'),
      'apps/a/a.yaml': configMap('a', value),
      'apps/b/kustomization.yaml': kustomization('b.yaml'),
      'apps/b/b.yaml': configMap('b', 'same'),
    });
    const d = smallDiff('diff-lazy-spoke', hub('one'), hub('two'), ['apps/a/a.yaml']);
    // b's object is in the spoke, unchanged
    assert.deepEqual([d.changes, d.unchanged], [['spoke-kubeconfig changed a'], { 'spoke-kubeconfig': 1 }]);
    assert.equal(d.lazy, d.full);
  });

  describe('a cluster the change reaches through the Kustomizations of a Kustomization it would leave out', () => {
    const kubeConfig = (secret: string): string => `  kubeConfig:\n    secretRef:\n      name: ${secret}\n`;
    /** The hub applies `infra-<cluster>` and `apps-x` overlays, whose builds each hold a Kustomization into a workload cluster. */
    const hub = (value: string, infra: { cluster: string; secret: string; substitute?: string }): Record<string, string> => ({
      [`clusters/hub/infra-${infra.cluster}.yaml`]: flux(`infra-${infra.cluster}`, `./infra/${infra.cluster}`, 'flux-system', infra.substitute ? `  postBuild:\n    substitute:\n      CLUSTER: ${infra.substitute}\n` : ''),
      'clusters/hub/apps-x.yaml': flux('apps-x', './apps/x', 'flux-system'),
      [`infra/${infra.cluster}/kustomization.yaml`]: kustomization('ks.yaml'),
      [`infra/${infra.cluster}/ks.yaml`]: flux('infra', './infra/base', 'flux-system', kubeConfig(infra.secret)),
      'infra/base/kustomization.yaml': kustomization('infra.yaml'),
      'infra/base/infra.yaml': configMap('infra', 'same'),
      'apps/x/kustomization.yaml': kustomization('ks.yaml'),
      'apps/x/ks.yaml': flux('apps', './apps/base', 'flux-system', kubeConfig('x-kubeconfig')),
      'apps/base/kustomization.yaml': kustomization('app.yaml'),
      'apps/base/app.yaml': configMap('app', value),
    });

    it('by a kubeConfig name its files give: its objects are there, as a full build has them', () => {
      const infra = { cluster: 'x', secret: 'x-kubeconfig' };
      const d = smallDiff('diff-lazy-through', hub('one', infra), hub('two', infra), ['apps/base/app.yaml']);
      // x holds, unchanged, the Kustomization that reaches it and infra's object
      assert.deepEqual([d.changes, d.unchanged], [['x-kubeconfig changed app'], { 'x-kubeconfig': 2 }]);
      assert.equal(d.lazy, d.full);
    });

    it('by a kubeConfig name a variable gives: both states are built whole', () => {
      const infra = { cluster: 'x', secret: '${CLUSTER}-kubeconfig', substitute: 'x' };
      const d = smallDiff('diff-lazy-variable', hub('one', infra), hub('two', infra), ['apps/base/app.yaml']);
      assert.deepEqual([d.changes, d.unchanged, d.leftOut], [['x-kubeconfig changed app'], { 'x-kubeconfig': 2 }, 0]);
      assert.equal(d.lazy, d.full);
    });

    it('not when its Kustomizations name other clusters only: it is still left out', () => {
      const infra = { cluster: 'y', secret: 'y-kubeconfig' };
      const d = smallDiff('diff-lazy-elsewhere', hub('one', infra), hub('two', infra), ['apps/base/app.yaml']);
      assert.deepEqual([d.changes, d.unchanged, d.leftOut], [['x-kubeconfig changed app'], { 'x-kubeconfig': 1 }, 1]);
      assert.equal(d.lazy, d.full);
    });
  });

  it('a Kustomization whose source only a build it would leave out gives: both states are built whole', () => {
    const repo = (value: string): Record<string, string> => ({
      'fleet.yaml': `kind: Fleet\nspec:\n  repository:\n    url: ${url}\n`,
      'clusters/mgmt/sources.yaml': flux('sources', './sources', 'flux-system'),
      'clusters/mgmt/app.yaml': flux('app', './app', 'repo'),
      'sources/kustomization.yaml': kustomization('repo.yaml'),
      'sources/repo.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\n  namespace: flux-system\nspec:\n  interval: 10m\n  url: ${url}\n`,
      'app/kustomization.yaml': kustomization('app.yaml'),
      'app/app.yaml': configMap('app', value),
    });
    const d = smallDiff('diff-lazy-source', repo('one'), repo('two'), ['app/app.yaml'], url);
    assert.deepEqual(d.changes, ['mgmt changed app']);
    assert.equal(d.lazy, d.full);
  });
});
