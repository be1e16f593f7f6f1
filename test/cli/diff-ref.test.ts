/**
 * `capifleet diff --base-ref REF [paths...]` over generated fleets committed to temporary git
 * repositories: a change to one cluster names that cluster and no other, with and without the
 * management entry point Flux syncs; an untracked file counts; paths limit the changes that
 * count; a missing ref or no repository is one line, exit 2. The working tree is left as it was.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { FleetSpec, ResolvedFleet } from '../../src/fleet/types.js';
import { clusterDir, generateTree } from '../../src/generate/tree.js';
import { tempTree } from '../support/files.js';
import { git, runCli, type CliRun } from '../support/cli.js';
import { fleetFixture, resolveFleet, writeTree } from '../generate/fleet-fixture.js';

const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-diff-ref-cache-'));

/** The tool with a cache of its own, and no pull-request base from the environment that runs the tests. */
function capifleet(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): CliRun {
  return runCli(args, cwd, { XDG_CACHE_HOME: cacheHome, GITHUB_BASE_REF: undefined, ...extraEnv });
}

/** A temporary git repository holding `files`, committed on `main`. */
function repository(name: string, files: Record<string, string>): string {
  const root = tempTree(name, files);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

/** What `capifleet generate` writes for the fleet; without its management entry point when asked (the shape of a tree generated before it existed). */
function fleetRepository(name: string, fleet: ResolvedFleet, management: boolean): string {
  const root = repository(name, { 'fleet.yaml': JSON.stringify(fleet.spec, null, 2) });
  const files = generateTree(fleet).files;
  assert.ok(files.some((f) => f.path.startsWith('overlays/_management/')), 'generate writes the management entry point');
  writeTree(root, management ? files : files.filter((f) => !f.path.startsWith('overlays/_management/')));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'generated');
  return root;
}

interface JsonReport {
  from: string;
  clusters: { name: string; status: string; resources: { kind: string; name: string; change: string }[] }[];
}

function changedClusters(stdout: string): string[] {
  return (JSON.parse(stdout) as JsonReport).clusters.filter((c) => c.status !== 'unchanged').map((c) => c.name);
}

describe('capifleet diff --base-ref', () => {
  const fleet = fleetFixture({ clusters: 6, providers: ['aks', 'docker'] });
  const [first, second] = fleet.clusters.map((c) => c.name);
  const roots: string[] = [];
  let plain = '';
  let managed = '';
  before(() => {
    plain = fleetRepository('diff-ref-plain', fleet, false);
    managed = fleetRepository('diff-ref-managed', fleet, true);
    roots.push(plain, managed);
  });
  after(() => {
    for (const r of [...roots, cacheHome]) fs.rmSync(r, { recursive: true, force: true });
  });

  /** Adds an untracked ConfigMap to one cluster's overlay (listed in its kustomization). */
  function addConfigMap(root: string, cluster: string, name: string): void {
    const dir = path.join(root, clusterDir(fleet.clusters.find((c) => c.name === cluster)!));
    fs.writeFileSync(path.join(dir, `${name}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`);
    const k = path.join(dir, 'kustomization.yaml');
    fs.writeFileSync(k, fs.readFileSync(k, 'utf8').replace(/^resources:\n/m, `resources:\n- ${name}.yaml\n`));
  }

  for (const [mode, root] of [
    ['fleet overlays', () => plain],
    ['the management entry point', () => managed],
  ] as const) {
    it(`${mode}: a change to one cluster names that cluster and no other, in every output`, () => {
      const r0 = root();
      try {
        addConfigMap(r0, first!, 'added-here');
        const json = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], r0);
        assert.equal(json.status, 0, json.stderr);
        assert.deepEqual(changedClusters(json.stdout), [first]);
        const cluster = (JSON.parse(json.stdout) as JsonReport).clusters.find((c) => c.name === first)!;
        assert.deepEqual(cluster.resources.map((x) => `${x.change} ${x.kind} ${x.name}`), ['added ConfigMap added-here']);
        const text = capifleet(['diff', '--base-ref', 'HEAD', '--exit-code'], r0);
        assert.equal(text.status, 1, text.stderr);
        assert.match(text.stdout, new RegExp(`^cluster ${first} \\(changed\\)$`, 'm'));
        assert.doesNotMatch(text.stdout, new RegExp(`^cluster (?!${first} )`, 'm'));
        const md = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'markdown'], r0);
        assert.equal(md.status, 0, md.stderr);
        assert.match(md.stdout, new RegExp(`^\\| \`${first}\` \\| changed \\| 1 \\| 0 \\| 0 \\| 0 \\|$`, 'm'));
        assert.match(md.stdout, new RegExp(`<summary>${first}: 1 added</summary>`));
        assert.doesNotMatch(md.stdout, new RegExp(second!));
        // what was built: the base only the cluster the change reaches; the working side nothing but what
        // the earlier runs did not keep (a fleet tree's overlays' read sets, the graph's build store)
        const debug = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], r0, { CAPIFLEET_DEBUG: '1' });
        const graph = mode === 'the management entry point';
        const working = graph ? `0 of (\\d+) paths of the working tree \\((\\d+) served from the build store\\)` : `1 of ${fleet.clusters.length} overlays of the working tree`;
        // through the graph, the management cluster and the one cluster the change reaches: the other clusters' Kustomizations are left out, their files read by no change
        const looked = graph ? `1 of 2 clusters reached by the changes; built ${working}, 1 of the base; ${fleet.clusters.length - 1} Flux Kustomizations left out, the same at both states` : `1 of ${fleet.clusters.length} clusters reached by the changes; built ${working}, 1 of the base`;
        const built = new RegExp(`: ${looked}$`, 'm').exec(debug.stderr);
        assert.ok(built, debug.stderr);
        if (graph) assert.equal(built[1], built[2], 'every path served');
      } finally {
        git(r0, 'checkout', '-q', '--', '.');
        git(r0, 'clean', '-q', '-fd', '--', 'overlays');
      }
    });
  }

  it('the build store (shared with validate) serves what no change reached, and never a build its files no longer show', () => {
    const store = path.join(managed, '.capifleet-cache', 'builds-v1.bin');
    /** What the working side built, the rest being served from the store. */
    const builtOf = (stderr: string): string => {
      const [, built, of, served] = /built (\d+) of (\d+) paths of the working tree \((\d+) served/.exec(stderr) ?? [];
      assert.ok(built && Number(built) + Number(served) === Number(of), stderr);
      return built === of ? 'all built' : `${built} built`;
    };
    const run = (): { names: string[]; added: string[]; built: string } => {
      const r = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], managed, { CAPIFLEET_DEBUG: '1' });
      assert.equal(r.status, 0, r.stderr);
      const cluster = (JSON.parse(r.stdout) as JsonReport).clusters.find((c) => c.name === first);
      return { names: changedClusters(r.stdout), added: (cluster?.resources ?? []).map((x) => `${x.change} ${x.kind} ${x.name}`), built: builtOf(r.stderr) };
    };
    try {
      fs.rmSync(path.join(managed, '.capifleet-cache'), { recursive: true, force: true });
      addConfigMap(managed, first!, 'edited-once');
      // validate keeps every build of the graph: the diff after it builds nothing of the working tree
      const validate = capifleet(['validate'], managed);
      assert.ok(validate.status === 0 || validate.status === 1, validate.stderr);
      assert.ok(fs.existsSync(store), 'validate kept the builds');
      assert.deepEqual(run(), { names: [first], added: ['added ConfigMap edited-once'], built: '0 built' });
      // reverted: no change, so no path of the working tree is built or served at all
      git(managed, 'checkout', '-q', '--', '.');
      git(managed, 'clean', '-q', '-fd', '--', 'overlays');
      assert.deepEqual(run(), { names: [], added: [], built: '0 built' });
      // edited another way: the kept build of the first edit no longer shows what its files show, so it is built again
      addConfigMap(managed, first!, 'edited-twice');
      assert.deepEqual(run(), { names: [first], added: ['added ConfigMap edited-twice'], built: '1 built' });
      assert.deepEqual(run(), { names: [first], added: ['added ConfigMap edited-twice'], built: '0 built' });
      // a store someone else wrote (another cache secret) is not served, and a diff without one builds whole
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-diff-ref-other-cache-'));
      roots.push(other);
      assert.equal(builtOf(capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], managed, { CAPIFLEET_DEBUG: '1', XDG_CACHE_HOME: other }).stderr), 'all built');
    } finally {
      git(managed, 'checkout', '-q', '--', '.');
      git(managed, 'clean', '-q', '-fd', '--', 'overlays');
    }
  });

  it('a change to what every workload cluster receives names every cluster, through the graph', () => {
    try {
      const info = path.join(managed, 'base', 'workload', 'cluster-info.yaml');
      fs.writeFileSync(info, fs.readFileSync(info, 'utf8').replace(/^data:\n/m, 'data:\n  edited: "yes"\n'));
      const r = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], managed);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(changedClusters(r.stdout).sort(), fleet.clusters.map((c) => c.name).sort());
    } finally {
      git(managed, 'checkout', '-q', '--', '.');
    }
  });

  it('an untracked file counts: a new file in a folder Flux lists reaches the cluster that syncs it', () => {
    const root = repository('diff-ref-flux', {
      'clusters/one/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  a: "1"\n',
      'clusters/two/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  a: "1"\n',
    });
    roots.push(root);
    fs.writeFileSync(path.join(root, 'clusters', 'one', 'new.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n  namespace: default\n');
    const r = capifleet(['diff', '--base-ref', 'main', '-o', 'json'], root);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(changedClusters(r.stdout), ['one']);
    assert.deepEqual(out.clusters[0]!.resources.map((x) => `${x.change} ${x.kind} ${x.name}`), ['added ConfigMap new']);
    assert.equal(out.from, 'main');
    assert.equal(git(root, 'status', '--porcelain'), '?? clusters/one/new.yaml\n', 'the working tree is as it was');
  });

  it('a commit holding a symlink is written into a temporary folder, which is removed', () => {
    const root = repository('diff-ref-link', {
      'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: default\ndata:\n  a: "1"\n',
      'clusters/two/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\n',
    });
    roots.push(root);
    fs.mkdirSync(path.join(root, 'clusters', 'one'));
    fs.symlinkSync('../../shared/cm.yaml', path.join(root, 'clusters', 'one', 'shared.yaml'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'link');
    fs.writeFileSync(path.join(root, 'shared', 'cm.yaml'), fs.readFileSync(path.join(root, 'shared', 'cm.yaml'), 'utf8').replace('"1"', '"2"'));
    const temps = (): string[] => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('capifleet-base-'));
    const before = temps();
    const r = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(changedClusters(r.stdout), ['one']);
    assert.deepEqual(temps(), before);
  });

  it('a fleet.yaml change, regenerated: the setting at the level of the spec, and the clusters it changes', () => {
    try {
      const spec = structuredClone(fleet.spec) as FleetSpec;
      const prodEnv = spec.spec.environments.find((e) => e.name === 'prod')!;
      prodEnv.defaults = { ...prodEnv.defaults, kubernetesVersion: 'v1.33.4' };
      fs.writeFileSync(path.join(plain, 'fleet.yaml'), JSON.stringify(spec, null, 2));
      writeTree(plain, generateTree(resolveFleet(spec)).files.filter((f) => !f.path.startsWith('overlays/_management/')));
      const r = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], plain);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as JsonReport & { settings: { path: string; from?: string; to?: string }[] };
      assert.deepEqual(out.settings, [{ path: 'environments[name=prod].defaults.kubernetesVersion', to: 'v1.33.4' }]);
      const prod = fleet.clusters.filter((c) => c.environment === 'prod').map((c) => c.name);
      assert.deepEqual(changedClusters(r.stdout), prod);
      // the spec reaches every cluster: all were built on both sides, the others are the same
      assert.equal(out.clusters.length, fleet.clusters.length);
    } finally {
      git(plain, 'checkout', '-q', '--', '.');
    }
  });

  it('paths: only changes under them count', () => {
    try {
      addConfigMap(plain, first!, 'in-first');
      addConfigMap(plain, second!, 'in-second');
      const dir = clusterDir(fleet.clusters.find((c) => c.name === second)!);
      const r = capifleet(['diff', '--base-ref', 'HEAD', dir, '-o', 'json'], plain);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(changedClusters(r.stdout), [second]);
      const all = capifleet(['diff', '--base-ref', 'HEAD', '-o', 'json'], plain);
      assert.deepEqual(changedClusters(all.stdout).sort(), [first, second].sort());
    } finally {
      git(plain, 'checkout', '-q', '--', '.');
      git(plain, 'clean', '-q', '-fd', '--', 'overlays');
    }
  });

  it('without a ref: the merge-base with the upstream branch, else origin/main, and says which', () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-diff-ref-clone-'));
    roots.push(clone);
    git(os.tmpdir(), 'clone', '-q', plain, clone);
    git(clone, 'checkout', '-q', '-b', 'feature', '--no-track');
    addConfigMap(clone, first!, 'on-feature');
    git(clone, 'add', '-A');
    git(clone, 'commit', '-q', '-m', 'feature');
    const r = capifleet(['diff', '--base-ref', '-o', 'json'], clone);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^capifleet: comparing with merge-base of HEAD and origin\/HEAD \([0-9a-f]{12}\)$/m);
    assert.deepEqual(changedClusters(r.stdout), [first]);
  });

  it('a missing ref, or no repository: one line, exit 2', () => {
    const outside = tempTree('diff-ref-outside', { 'fleet.yaml': stringify(fleet.spec) });
    roots.push(outside);
    for (const [args, cwd, message] of [
      [['diff', '--base-ref', 'no-such-ref'], plain, /^capifleet: --base-ref no-such-ref: no such commit, branch or tag in /],
      [['diff', '--base-ref', 'HEAD'], outside, /^capifleet: .*: not inside a git repository/],
      [['diff', 'staging'], plain, /^capifleet: diff takes two sides/],
    ] as const) {
      const r = capifleet([...args], cwd);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
