import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPORTERS } from '../../src/report/findings/index.js';
import { RULE_REGISTRY } from '../../src/validate/rule-registry.js';
import { compareFindings } from '../../src/validate/finding.js';
import { discoverInputs } from '../../src/validate/inputs.js';
import { ManifestResultCache } from '../../src/validate/result-cache.js';
import { threadsToValidate, validateMany, validatePaths, ValidationThread, type ValidateJob, type ValidateSetup } from '../../src/validate/validate-many.js';
import { pastTheClockTick, tempTree } from '../support/files.js';
import { LARGE_TREE, writeLargeTree } from '../support/large-tree.js';

/**
 * Waits until what the test just changed is older than a run that begins now by more than a clock
 * tick: the cache keeps nothing that read a path changed while it ran.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-many-'));
writeLargeTree(root);

/** Validates a tree (the large one by default) in a fresh thread state, on at most `threads` threads; every reporter's output. */
async function validateTree(threads: number, cacheDir?: string, tree = root) {
  const setup: ValidateSetup = {
    projectDir: tree,
    ...(cacheDir ? { cacheDir } : {}),
    options: { vars: new Map(), strictVars: false, strictRefs: true, missingSchemas: 'warn', rules: new Map() },
  };
  const here = new ValidationThread(setup, () => {});
  const results = cacheDir ? new ManifestResultCache(cacheDir, () => 'fingerprint') : undefined;
  const warnings: string[] = [];
  const validated = await validateMany(discoverInputs([tree], { kustomizationCheck: here.kustomizationCheck }), here, {
    threads,
    ...(results ? { results } : {}),
    onWarning: (message, file) => warnings.push(`${file}: ${message}`),
  });
  here.compiler.saveCodeCaches(validated.codeCaches);
  results?.save();
  const report = { tool: { name: 'capifleet', version: 'test' }, units: validated.units, findings: validated.findings.sort(compareFindings), rules: [...RULE_REGISTRY] };
  const outputs = Object.entries(REPORTERS).map(([format, r]) => `${format}\n${r.render(report, { color: true, cwd: tree })}`);
  return { ...validated, outputs, warnings };
}

describe('validateMany', () => {
  it('gives the same units, findings, warnings and reports in every format on one thread and on two', async () => {
    // in this order the worker is likelier to start before this thread, still cold, has done every job
    // (which thread does what is the pool's to decide; its own tests make sure workers get items)
    const parallel = await validateTree(2);
    const serial = await validateTree(1);
    assert.equal(serial.threads, 1);
    assert.equal(parallel.threads, 2);
    assert.deepEqual(parallel.units, serial.units);
    assert.deepEqual(parallel.findings, serial.findings);
    assert.deepEqual(parallel.warnings, serial.warnings);
    for (const [i, output] of serial.outputs.entries()) assert.equal(parallel.outputs[i], output);
    // the tree holds what it should, so the comparison means something
    assert.equal(serial.units.length, LARGE_TREE.overlays + LARGE_TREE.folders);
    const rules = new Set(serial.findings.map((f) => f.ruleId));
    for (const rule of ['input/build', 'input/yaml', 'yaml/duplicate-key', 'schema/type', 'capi/cluster-name', 'k8s/duplicate-id']) assert.ok(rules.has(rule), rule);
    assert.equal(serial.findings.filter((f) => f.ruleId === 'input/build').length, LARGE_TREE.overlaysFailing);
    assert.ok(serial.warnings.some((w) => /commonLabels/.test(w)));
  });

  it('feeds the result cache from every thread: a warm run serves every file and reports the same', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-many-cache-'));
    const cold = await validateTree(2, cacheDir);
    const warm = await validateTree(2, cacheDir);
    assert.deepEqual(warm.outputs, cold.outputs);
    const pack = JSON.parse(fs.readFileSync(path.join(cacheDir, 'results-v1.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(Object.keys(pack).length, LARGE_TREE.folders * LARGE_TREE.filesPerFolder);
    assert.equal(warm.jobs.total, 0, 'every overlay and file was served');
    assert.deepEqual(warm.warnings.sort(), cold.warnings.sort(), 'served overlays warn as their builds did');
    assert.ok(cold.warnings.length > 0);
  });

  it('serves an overlay while nothing its build looked at changed, and rebuilds only the overlays that read a changed path', async () => {
    const tree = tempTree('overlay-cache', {
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n',
      'overlays/a/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: a-\n',
      'overlays/b/kustomization.yaml': 'resources:\n- ../../base\n- svc.yaml\nnamePrefix: b-\n',
      // a finding, so a served report has something in it to get wrong
      'overlays/b/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports: 80\n',
      'overlays/c/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'overlays/c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-overlay-cache-'));
    /** Validates with the cache and without it: the reports must be the same; gives the overlays that were built. */
    const run = async (): Promise<number> => {
      await pastTheClockTick();
      const cached = await validateTree(1, cacheDir, tree);
      const uncached = await validateTree(1, undefined, tree);
      assert.deepEqual(cached.outputs, uncached.outputs);
      return cached.jobs.total;
    };
    await pastTheClockTick();
    const cold = await validateTree(1, cacheDir, tree);
    assert.equal(cold.jobs.total, 3);
    assert.ok(cold.findings.some((f) => f.overlay?.endsWith('b')), 'the tree has a finding');
    assert.equal(await run(), 0, 'nothing changed: nothing rebuilt');
    fs.appendFileSync(path.join(tree, 'overlays/b/svc.yaml'), '  type: ClusterIP\n');
    assert.equal(await run(), 1, 'a file only b read');
    assert.equal(await run(), 0);
    fs.writeFileSync(path.join(tree, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
    assert.equal(await run(), 2, 'the base a and b read');
    fs.writeFileSync(path.join(tree, 'overlays/c/notes.txt'), 'a file added to a folder c\'s build listed\n');
    assert.equal(await run(), 1);
    fs.writeFileSync(path.join(tree, 'overlays/notes.txt'), 'a file added to a folder no build listed\n');
    assert.equal(await run(), 0);
  });
});

describe('validatePaths', () => {
  /** Validates `tree` as the command line does, with the cache in `cacheDir` or without one. */
  async function validateAt(tree: string, cacheDir?: string, beforeSave?: () => void) {
    const here = new ValidationThread({ projectDir: tree, options: { vars: new Map(), strictVars: false, strictRefs: false, missingSchemas: 'warn', rules: new Map() } }, () => {});
    const results = cacheDir ? new ManifestResultCache(cacheDir, () => 'fingerprint', 'builds key') : undefined;
    const warnings: string[] = [];
    const validated = await validatePaths([tree], here, { threads: 1, ...(results ? { results } : {}), onWarning: (message, file) => warnings.push(`${file}: ${message}`) });
    beforeSave?.();
    results?.save();
    const report = { tool: { name: 'capifleet', version: 'test' }, units: validated.units, findings: validated.findings.sort(compareFindings), rules: [...RULE_REGISTRY] };
    const outputs = Object.entries(REPORTERS).map(([format, r]) => `${format}\n${r.render(report, { color: false, cwd: tree })}`);
    return {
      outputs,
      warnings,
      whole: validated.servedWhole === true,
      cutOff: validated.cutOff === true,
      checkedAgain: results ? [...results.clustersCheckedAgain] : [],
      units: validated.units.map((u) => u.name),
      graphBuilds: results ? { ...results.graphBuildCounts } : undefined,
    };
  }

  /** Validates `tree` past the clock tick with the cache in `cacheDir` and without one: their reports must be the same. */
  async function withAndWithoutCache(tree: string, cacheDir: string) {
    await pastTheClockTick();
    const cached = await validateAt(tree, cacheDir);
    const uncached = await validateAt(tree);
    assert.deepEqual(cached.outputs, uncached.outputs);
    return { cached, uncached };
  }

  const OVERLAYS = {
    'base/kustomization.yaml': 'resources:\n- cm.yaml\ncommonLabels:\n  app: x\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    'overlays/a/kustomization.yaml': 'resources:\n- ../../base\n- link.yaml\nnamePrefix: a-\n',
    'overlays/a/real/one.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  ports: 80\n',
    'overlays/a/real/two.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: two\n',
    'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
  };
  const MANAGEMENT = {
    'overlays/_management/kustomization.yaml': 'resources:\n- a.yaml\n',
    'overlays/_management/a.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./overlays/a\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  };

  for (const [shape, files, unit] of [
    ['a tree of overlays', OVERLAYS, 'overlays/a'],
    ['a repository Flux applies (the cluster graph)', { ...OVERLAYS, ...MANAGEMENT }, 'cluster management'],
  ] as const) {
    it(`serves ${shape} whole while nothing it looked at changed, and reports as without the cache after each change`, async () => {
      const tree = fs.realpathSync(tempTree('run-cache', files));
      fs.symlinkSync(path.join(tree, 'overlays/a/real/one.yaml'), path.join(tree, 'overlays/a/link.yaml'));
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-run-cache-'));
      /** Whether a run was served whole; its reports and warnings must be those of a run without the cache. */
      const served = async (): Promise<boolean> => {
        const { cached, uncached } = await withAndWithoutCache(tree, cacheDir);
        assert.deepEqual(cached.warnings, uncached.warnings);
        assert.ok(cached.units.some((u) => u.endsWith(unit)), cached.units.join(', '));
        return cached.whole;
      };
      assert.equal(await served(), false, 'cold');
      assert.equal(await served(), true, 'nothing changed');
      fs.appendFileSync(path.join(tree, 'overlays/a/real/one.yaml'), '  type: ClusterIP\n');
      assert.equal(await served(), false, 'a file read changed');
      assert.equal(await served(), true);
      fs.writeFileSync(path.join(tree, 'overlays/a/notes.txt'), 'a file added to a folder the build listed\n');
      assert.equal(await served(), false, 'a file added');
      assert.equal(await served(), true);
      fs.rmSync(path.join(tree, 'overlays/a/notes.txt'));
      assert.equal(await served(), false, 'a file removed');
      fs.rmSync(path.join(tree, 'overlays/a/link.yaml'));
      fs.symlinkSync(path.join(tree, 'overlays/a/real/two.yaml'), path.join(tree, 'overlays/a/link.yaml'));
      assert.equal(await served(), false, 'a symlink retargeted');
      assert.equal(await served(), true);
      fs.writeFileSync(path.join(tree, 'plain/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n');
      assert.equal(await served(), false, 'a manifest file changed');
    });
  }

  it("rebuilds only the cluster graph's builds whose reads changed, and reports as without the cache", async () => {
    const kustomization = (name: string, extra = '') =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./overlays/${name}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
    const crd = (sizeType: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size: {type: ${sizeType}}\n`;
    const tree = fs.realpathSync(
      tempTree('graph-builds', {
        'overlays/_management/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n',
        'overlays/_management/a.yaml': kustomization('a'),
        'overlays/_management/b.yaml': kustomization('b'),
        'overlays/a/kustomization.yaml': 'resources:\n- widget.yaml\n- link.yaml\n',
        'overlays/a/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\nspec:\n  size: big\n',
        'overlays/a/real/one.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  ports: 80\n',
        'overlays/a/real/two.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: two\n',
        // no kustomization file: Flux lists the folder and applies every YAML file in it
        'overlays/b/crd.yaml': crd('integer'),
      }),
    );
    fs.symlinkSync(path.join(tree, 'overlays/a/real/one.yaml'), path.join(tree, 'overlays/a/link.yaml'));
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-graph-builds-'));
    /** The graph's builds built and served in a run with the cache, whose reports and warnings must be those without it. */
    const run = async (): Promise<{ built: number; served: number }> => {
      const { cached, uncached } = await withAndWithoutCache(tree, cacheDir);
      assert.deepEqual(cached.warnings, uncached.warnings);
      assert.equal(cached.whole, false);
      return cached.graphBuilds!;
    };
    const widgetFinding = async () => (await validateAt(tree)).outputs.find((o) => o.startsWith('json'))!.includes('Widget');
    assert.deepEqual(await run(), { built: 3, served: 0 }, 'cold: the entry point, a and b');
    assert.ok(await widgetFinding(), 'the CRD b applies to the cluster checks the Widget of a');
    fs.appendFileSync(path.join(tree, 'overlays/a/real/one.yaml'), '  type: ClusterIP\n');
    assert.deepEqual(await run(), { built: 1, served: 2 }, 'a file only a read (through its symlink)');
    fs.writeFileSync(path.join(tree, 'overlays/b/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: default\n');
    // the run before, an early cutoff that checked the cluster again, kept no build (the store is not rewritten for one): a is built again
    assert.deepEqual(await run(), { built: 2, served: 1 }, 'a file added to the folder b lists');
    fs.rmSync(path.join(tree, 'overlays/a/link.yaml'));
    fs.symlinkSync(path.join(tree, 'overlays/a/real/two.yaml'), path.join(tree, 'overlays/a/link.yaml'));
    assert.deepEqual(await run(), { built: 1, served: 2 }, 'a symlink a reads retargeted');
    fs.writeFileSync(path.join(tree, 'overlays/b/crd.yaml'), crd('string'));
    assert.deepEqual(await run(), { built: 1, served: 2 }, 'the CRD b applies changed');
    assert.equal(await widgetFinding(), false, "the Widget a applies is checked against the cluster's new CRD");
    fs.writeFileSync(path.join(tree, 'overlays/_management/a.yaml'), kustomization('a', '  namePrefix: x-\n'));
    assert.deepEqual(await run(), { built: 2, served: 1 }, "the entry point, which read a's Kustomization, and a, whose spec changed");
  });

  it('serves the last report when what changed leaves every build giving what it gave (early cutoff), and reports as without the cache after each change', async () => {
    const kustomization = (name: string, extra = '') =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./overlays/${name}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
    const widget = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: w\n  namespace: default\nspec:\n  ports: 80\n';
    const tree = fs.realpathSync(
      tempTree('cutoff', {
        'overlays/_management/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n',
        'overlays/_management/a.yaml': kustomization('a'),
        'overlays/_management/b.yaml': kustomization('b'),
        'overlays/a/kustomization.yaml': 'resources:\n- cm.yaml\n- svc.yaml\n',
        'overlays/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\ndata:\n  replicas: "2"\n',
        // its finding points into the file
        'overlays/a/svc.yaml': widget,
        // no kustomization file: Flux lists the folder and applies every YAML file in it
        'overlays/b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: default\n',
        'overlays/c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-c\n  namespace: default\n',
        'overlays/d/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-d\n  namespace: default\n',
        // read by nothing but the search for entry points: a's kustomization does not list it
        'overlays/a/unused.yaml': 'note: no entry point here\n',
      }),
    );
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cutoff-'));
    /** A run with the cache, whose reports and warnings must be those without it. */
    const run = async () => {
      const { cached, uncached } = await withAndWithoutCache(tree, cacheDir);
      assert.deepEqual(cached.warnings, uncached.warnings);
      assert.deepEqual(cached.units, uncached.units);
      return { cutOff: cached.cutOff, whole: cached.whole, built: cached.graphBuilds!.built, units: cached.units, json: cached.outputs.find((o) => o.startsWith('json'))! };
    };
    const cold = await run();
    assert.equal(cold.cutOff, false);
    assert.ok(cold.json.includes('svc.yaml'), 'the Service has a finding');
    assert.equal((await run()).whole, true, 'nothing changed');
    fs.appendFileSync(path.join(tree, 'overlays/a/cm.yaml'), '# a comment\n');
    const comment = await run();
    assert.deepEqual([comment.cutOff, comment.built, comment.json], [true, 1, cold.json], 'a comment: a is built again and gives what it gave');
    fs.writeFileSync(path.join(tree, 'overlays/a/svc.yaml'), widget.replace('spec:\n', 'spec:\n  # a comment inside\n'));
    const moved = await run();
    assert.equal(moved.cutOff, false, 'the same objects from the same line, but the finding in the file moves a line down');
    assert.notEqual(moved.json, cold.json);
    fs.writeFileSync(path.join(tree, 'overlays/a/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\ndata:\n  replicas: "3"\n');
    const value = await run();
    assert.deepEqual([value.cutOff, value.built], [false, 1], 'a value edited: a gives other objects');
    fs.writeFileSync(path.join(tree, 'overlays/b/flux.yaml'), kustomization('c'));
    const added = await run();
    assert.equal(added.cutOff, false, 'a file added to the folder b lists, a Flux Kustomization');
    assert.deepEqual(value.units.length - added.units.length, 1, "c's folder is no unit of its own: the cluster receives its objects");
    fs.writeFileSync(path.join(tree, 'overlays/a/unused.yaml'), 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  sync:\n    kind: GitRepository\n    path: ./overlays/d\n');
    const entry = await run();
    assert.equal(entry.cutOff, false, 'a file no build reads now declares an entry point');
    assert.deepEqual(entry.units, ['cluster overlays/d', 'cluster management'], 'the entry point is a cluster of its own, which receives what d holds');
    assert.equal((await run()).whole, true);
  });

  it("checks again only the clusters a changed build applies into when the graph's shape is as it was, and falls back when it may not be, reporting as without the cache after each change", async () => {
    const kustomization = (name: string, extra = '') =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./overlays/${name}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
    const service = (name: string, port: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  ports:\n  - port: ${port}\n`;
    const vars = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  NAME: ${value}\n`;
    const KUBECONFIG = '  kubeConfig:\n    secretRef:\n      name: w-kubeconfig\n';
    // applied into a cluster of its own: the management cluster holds no object post-build substitution made
    const SUBSTITUTE_FROM = '  kubeConfig:\n    secretRef:\n      name: s-kubeconfig\n  postBuild:\n    substituteFrom:\n    - kind: ConfigMap\n      name: vars\n';
    const files = {
      'overlays/_management/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n- w.yaml\n- s.yaml\n',
      'overlays/_management/a.yaml': kustomization('a'),
      'overlays/_management/b.yaml': kustomization('b'),
      'overlays/_management/w.yaml': kustomization('w', KUBECONFIG),
      'overlays/_management/s.yaml': kustomization('s', SUBSTITUTE_FROM),
      'overlays/a/kustomization.yaml': 'resources:\n- svc.yaml\n',
      'overlays/a/svc.yaml': service('one', '80'),
      // folders the search for what no cluster reaches does not read the files of (a change there is none the cutoff serves)
      'overlays/b/kustomization.yaml': 'resources:\n- svc.yaml\n- vars.yaml\n',
      'overlays/b/svc.yaml': service('two', '80'),
      'overlays/b/vars.yaml': vars('first'),
      'overlays/w/kustomization.yaml': 'resources:\n- svc.yaml\n',
      'overlays/w/svc.yaml': service('three', '80'),
      'overlays/s/kustomization.yaml': 'resources:\n- svc.yaml\n',
      'overlays/s/svc.yaml': service('svc-${NAME}', '80'),
    };
    const tree = fs.realpathSync(tempTree('graph-kept', files));
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-graph-kept-'));
    const write = (file: string, text: string) => fs.writeFileSync(path.join(tree, file), text);
    /** A run with the cache, whose reports and warnings must be those without it. */
    const run = async () => {
      const { cached, uncached } = await withAndWithoutCache(tree, cacheDir);
      assert.deepEqual(cached.warnings, uncached.warnings);
      return { cutOff: cached.cutOff, checkedAgain: cached.checkedAgain, json: cached.outputs.find((o) => o.startsWith('json'))! };
    };
    const cold = await run();
    assert.equal(cold.cutOff, false);
    assert.deepEqual(JSON.parse(cold.json.slice('json\n'.length)).overlays.map((o: { name: string }) => o.name), ['cluster management', 'cluster s-kubeconfig', 'cluster w-kubeconfig']);
    const MANAGEMENT = ['cluster management'];
    /** What each change is, and whether the run checks again only the clusters named (undefined: it falls back to the whole run). */
    const steps: [what: string, change: () => void, checkedAgain: string[] | undefined, finding?: RegExp, noFinding?: RegExp][] = [
      ['a value of a Service a applies', () => write('overlays/a/svc.yaml', service('one', '81')), MANAGEMENT],
      ['an invalid value: a finding of the changed build appears', () => write('overlays/a/svc.yaml', service('one', 'eighty')), MANAGEMENT, /schema\/type/],
      ['the value made valid again: the finding disappears, the line it named having changed', () => write('overlays/a/svc.yaml', service('one', '82')), MANAGEMENT, undefined, /schema\/type/],
      ["a Service renamed to one b applies: the cluster's finding appears", () => write('overlays/a/svc.yaml', service('two', '82')), MANAGEMENT, /k8s\/duplicate-id/],
      ["renamed back: the cluster's finding disappears", () => write('overlays/a/svc.yaml', service('one', '82')), MANAGEMENT, undefined, /k8s\/duplicate-id/],
      ['a value of a Service w applies into its workload cluster', () => write('overlays/w/svc.yaml', service('three', '81')), ['cluster w-kubeconfig']],
      // the store keeps objects as built, before substitution: no other object of that cluster is there as it receives it
      ['a value of what s applies into its cluster, post-build substituted', () => write('overlays/s/svc.yaml', service('svc-${NAME}', '81')), undefined],
      ['a comment that moves no object', () => fs.appendFileSync(path.join(tree, 'overlays/a/svc.yaml'), '# a comment\n'), []],
      ['a value of the ConfigMap substituteFrom reads', () => write('overlays/b/vars.yaml', vars('second')), undefined],
      ["a Flux Kustomization's path", () => write('overlays/_management/a.yaml', kustomization('a').replace('./overlays/a', './overlays/b')), undefined],
      ["a Flux Kustomization's post-build substitute", () => write('overlays/_management/s.yaml', kustomization('s', SUBSTITUTE_FROM.replace(/postBuild:[^]*/, 'postBuild:\n    substitute:\n      NAME: third\n'))), undefined],
      ['the kubeConfig secret w applies with', () => write('overlays/_management/w.yaml', kustomization('w', KUBECONFIG.replace('w-kubeconfig', 'v-kubeconfig'))), undefined],
      [
        'a Flux Kustomization added to what b applies',
        () => {
          write('overlays/b/ks.yaml', kustomization('a2').replace('./overlays/a2', './overlays/a'));
          write('overlays/b/kustomization.yaml', 'resources:\n- svc.yaml\n- vars.yaml\n- ks.yaml\n');
        },
        undefined,
      ],
      ['after the fallback, a value again', () => write('overlays/w/svc.yaml', service('three', '83')), ['cluster v-kubeconfig']],
    ];
    for (const [what, change, checkedAgain, finding, noFinding] of steps) {
      change();
      const step = await run();
      assert.deepEqual(step.checkedAgain, checkedAgain ?? [], what);
      assert.equal(step.cutOff, checkedAgain !== undefined, what);
      if (finding) assert.match(step.json, finding, what);
      if (noFinding) assert.doesNotMatch(step.json, noFinding, what);
    }
  });

  it("checks a substituted build's objects again when only the variables substituted into them changed", async () => {
    const kustomization = (name: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./overlays/a\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substitute:\n      NAME: ${name}\n`;
    const tree = fs.realpathSync(
      tempTree('substituted', {
        'overlays/_management/kustomization.yaml': 'resources:\n- a.yaml\n',
        'overlays/_management/a.yaml': kustomization('first'),
        'overlays/a/kustomization.yaml': 'resources:\n- svc.yaml\n',
        'overlays/a/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${NAME}\n  namespace: default\nspec:\n  ports: 80\n',
      }),
    );
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-substituted-'));
    const run = async () => {
      const { cached } = await withAndWithoutCache(tree, cacheDir);
      return cached.outputs.find((o) => o.startsWith('json'))!;
    };
    assert.ok((await run()).includes('"name": "svc-first"'));
    fs.writeFileSync(path.join(tree, 'overlays/_management/a.yaml'), kustomization('second'));
    const changed = await run();
    assert.ok(changed.includes('"name": "svc-second"') && !changed.includes('svc-first'), "the finding names the Service's new name");
  });

  it('keeps nothing of a run during which a path it looked at changed, so a file put back is not served what the run read', async () => {
    const tree = fs.realpathSync(
      tempTree('changed-during', {
        'overlays/_management/kustomization.yaml': 'resources:\n- cm.yaml\n',
        'overlays/_management/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\ndata:\n  a: "1"\n',
      }),
    );
    const file = path.join(tree, 'overlays/_management/cm.yaml');
    const original = fs.readFileSync(file, 'utf8');
    const kept = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.json') || n.endsWith('.jsonl') || n.endsWith('.bin'));
    const [quiet, edited] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-changed-during-')));
    await pastTheClockTick();
    await validateAt(tree, quiet!);
    assert.notDeepEqual(kept(quiet!), [], 'a run nothing changed under keeps what it found');
    await validateAt(tree, edited!, () => fs.writeFileSync(file, original.replace('"1"', '"2"')));
    assert.deepEqual(kept(edited!), []);
    fs.writeFileSync(file, original);
    await pastTheClockTick();
    assert.deepEqual((await validateAt(tree, edited!)).outputs, (await validateAt(tree)).outputs);
  });

  it('checks apart the copies of one build that two Kustomizations apply into one cluster, one substituting variables and one not', async () => {
    const kustomization = (name: string, postBuild: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./overlays/a\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${postBuild}`;
    const tree = fs.realpathSync(
      tempTree('shared-substituted', {
        'overlays/_management/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n',
        // 'a' applies the build as it is, first; 'b' substitutes into a copy of it
        'overlays/_management/a.yaml': kustomization('a', ''),
        'overlays/_management/b.yaml': kustomization('b', '  postBuild:\n    substitute:\n      NAME: first\n'),
        'overlays/a/kustomization.yaml': 'resources:\n- svc.yaml\n',
        'overlays/a/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${NAME}\n  namespace: default\nspec:\n  ports: 80\n',
      }),
    );
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-shared-substituted-'));
    const run = async () => {
      const { cached } = await withAndWithoutCache(tree, cacheDir);
      assert.ok(cached.outputs.find((o) => o.startsWith('json'))!.includes('"name": "svc-first"'), "the substituted copy's own finding names its Service");
    };
    await run();
    // the management cluster's objects change, the shared build does not: its findings are served
    fs.writeFileSync(path.join(tree, 'overlays/_management/kustomization.yaml'), 'resources:\n- a.yaml\n- b.yaml\n- cm.yaml\n');
    fs.writeFileSync(path.join(tree, 'overlays/_management/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n');
    await run();
  });

  it("finds the same inputs as without the cache when a kustomization's folder gains a second kustomization file", async () => {
    const tree = fs.realpathSync(
      tempTree('references', {
        'a/kustomization.yaml': 'resources:\n- ../b\n',
        'b/kustomization.yaml': 'resources:\n- cm.yaml\n',
        'b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      }),
    );
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-references-cache-'));
    await pastTheClockTick();
    const cold = await validateAt(tree, cacheDir);
    assert.deepEqual(cold.units.map((u) => path.basename(u)), ['a'], 'b is a base of a, not a leaf');
    // a no longer builds, so b is a leaf of its own
    fs.writeFileSync(path.join(tree, 'a', 'kustomization.yml'), 'resources:\n- ../b\n');
    const { cached, uncached } = await withAndWithoutCache(tree, cacheDir);
    assert.deepEqual(cached.units, uncached.units);
    assert.deepEqual(uncached.units.map((u) => path.basename(u)), ['a', 'b']);
  });
});

describe('threadsToValidate', () => {
  const overlays = (n: number): ValidateJob[] => Array.from({ length: n }, (_, i) => ({ kind: 'overlay', dir: `o${i}` }));
  const files = (n: number): ValidateJob[] => Array.from({ length: n }, (_, i) => ({ kind: 'file', file: `f${i}.yaml`, bytes: new Uint8Array(), overlay: '.' }));

  it('gives the threads asked for', () => {
    assert.equal(threadsToValidate(files(3), 2, 1), 2);
    assert.equal(threadsToValidate(files(10_000), 1, 8), 1);
  });

  it('by default keeps one overlay, or a few files, on this thread', () => {
    assert.equal(threadsToValidate(overlays(1), undefined, 8), 1);
    assert.equal(threadsToValidate(files(50), undefined, 8), 1);
    assert.equal(threadsToValidate([], undefined, 8), 1);
  });

  it('by default adds a thread for each share of work worth one, overlays weighing more than files, up to those available', () => {
    assert.equal(threadsToValidate(files(10_000), undefined, 1), 1);
    assert.equal(threadsToValidate(files(10_000), undefined, 3), 3);
    const perThread = files(10_000).findIndex((_, i) => threadsToValidate(files(i + 1), undefined, 8) === 2) + 1;
    assert.ok(perThread > 50, `a second thread from ${perThread} files`);
    assert.ok(threadsToValidate(overlays(Math.ceil(perThread / 2)), undefined, 8) >= 2, 'overlays are more work than files');
  });
});
