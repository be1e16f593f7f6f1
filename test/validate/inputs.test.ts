import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileCache } from '../../src/engine/loader.js';
import { discoverInputs, loadInput, type Input } from '../../src/validate/inputs.js';
import { SourceLocator } from '../../src/validate/source-map.js';

/** Writes a tree of files: path → content. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-tree-'));
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  }
  return root;
}

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function describeInputs(root: string, inputs: Input[]): string[] {
  return inputs.map((i) => {
    if (i.kind === 'kustomization') return `build ${path.relative(root, i.dir) || '.'}`;
    if (i.kind === 'files') return `files ${i.files.map((f) => path.relative(root, f)).join(',')}`;
    return 'stdin';
  });
}

const context = (stdin = '') => ({ fileCache: new FileCache(), locator: new SourceLocator(), readStdin: () => stdin });

describe('inputs', () => {
  const root = tree({
    'base/kustomization.yaml': 'resources: [cm.yaml]\n',
    'base/cm.yaml': cm('base'),
    'overlays/a/kustomization.yaml': 'resources: [../../base]\nnamePrefix: a-\n',
    'overlays/b/kustomization.yaml': 'resources: [../../base, ../../shared/extra.yaml]\ncomponents: [../../components/c]\n',
    'components/c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
    'shared/extra.yaml': cm('extra'),
    'plain/one.yaml': cm('one'),
    'plain/two.yml': cm('two'),
    'plain/notes.txt': 'not yaml',
    'flux/kustomization.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\n',
    'chart/Chart.yaml': 'name: c\n',
    'chart/templates/x.yaml': '{{ .Values.x }}\n',
    '.git/config.yaml': cm('hidden'),
  });

  it('finds leaf kustomizations and plain manifest files outside every kustomization', () => {
    assert.deepEqual(describeInputs(root, discoverInputs([root])), [
      'build overlays/a',
      'build overlays/b',
      'files flux/kustomization.yaml',
      'files plain/one.yaml,plain/two.yml',
    ]);
  });

  it('a kustomization directory is built as one', () => {
    assert.deepEqual(describeInputs(root, discoverInputs([path.join(root, 'base')])), ['build base']);
  });

  it('a file and stdin', () => {
    assert.deepEqual(describeInputs(root, discoverInputs([path.join(root, 'plain/one.yaml'), '-'])), ['files plain/one.yaml', 'stdin']);
  });

  it('a folder of clusterctl flavors (several files, each a whole cluster) gives one set per file', () => {
    const capiCluster = (name: string): string => `apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: \${CLUSTER_NAME}\nspec:\n  clusterNetwork: {}\n# ${name}\n`;
    const flavors = tree({
      'templates/cluster-template.yaml': capiCluster('default'),
      'templates/cluster-template-private.yaml': `${cm('extra')}---\n${capiCluster('private')}`,
      'templates/clusterclass.yaml': cm('class'),
      'single/cluster.yaml': capiCluster('one'),
      'single/more.yaml': cm('more'),
      'kind/kind-cluster.yaml': 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n---\napiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n',
      'kind/other.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n',
    });
    assert.deepEqual(describeInputs(flavors, discoverInputs([flavors])), [
      'files kind/kind-cluster.yaml,kind/other.yaml',
      'files single/cluster.yaml,single/more.yaml',
      'files templates/cluster-template-private.yaml',
      'files templates/cluster-template.yaml',
      'files templates/clusterclass.yaml',
    ]);
    const names = discoverInputs([path.join(flavors, 'templates')]).map((i) => (i.kind === 'files' ? path.basename(i.name) : i.kind));
    assert.deepEqual(names, ['cluster-template-private.yaml', 'cluster-template.yaml', 'clusterclass.yaml']);
  });

  it('files a kustomization reads as patches, replacements or generator sources are part of its build, not manifests', () => {
    const patch = (kind: string): string => `apiVersion: cluster.x-k8s.io/v1beta2\nkind: ${kind}\nmetadata:\n  name: \${CLUSTER_NAME}-md-0\nspec:\n  replicas: 2\n`;
    const ci = tree({
      'flavors/prow/kustomization.yaml': [
        'resources: [../base]',
        'patches:',
        '- path: ../patches/md-replicas.yaml',
        '- patch: |-\n    - op: add\n      path: /x\n      value: 1\n  target: {kind: Cluster}',
        'patchesStrategicMerge: [../patches/mhc.yaml]',
        'replacements: [{path: ../patches/replacement.yaml}]',
        'configMapGenerator: [{name: c, files: [k=../patches/kubeadm.yaml]}]',
        '',
      ].join('\n'),
      'flavors/base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'flavors/base/cm.yaml': cm('base'),
      'flavors/patches/md-replicas.yaml': patch('MachineDeployment'),
      'flavors/patches/mhc.yaml': patch('MachineHealthCheck'),
      'flavors/patches/replacement.yaml': 'source: {kind: ConfigMap, name: base}\ntargets: []\n',
      'flavors/patches/kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n',
      'flavors/patches/unused.yaml': patch('MachinePool'),
    });
    assert.deepEqual(describeInputs(ci, discoverInputs([ci])), ['build flavors/prow', 'files flavors/patches/unused.yaml']);
  });

  it('a path that does not exist is bad input', () => {
    assert.throws(() => discoverInputs([path.join(root, 'nope')]), /no such file or directory/);
  });

  it('renders a kustomization in-process, objects keep their source file', () => {
    const { unit, problems } = loadInput({ kind: 'kustomization', dir: path.join(root, 'overlays/a') }, context());
    assert.deepEqual(problems, []);
    assert.deepEqual(unit.resources.map((r) => r.name), ['a-base']);
    assert.equal(unit.resources[0]!.state.source!.file, fs.realpathSync(path.join(root, 'base/cm.yaml')));
    assert.equal(unit.fallbackLocation!.file, path.join(root, 'overlays/a/kustomization.yaml'));
  });

  const problemCases: { name: string; files: Record<string, string>; expected: string[] }[] = [
    { name: 'a duplicate key is a finding about content', files: { 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: 1\n  k: 2\n' }, expected: ['yaml/duplicate-key 6'] },
    { name: 'invalid YAML is bad input', files: { 'x.yaml': 'a: [\n' }, expected: ['input/yaml 2'] },
    { name: 'an object without kind or name', files: { 'x.yaml': 'apiVersion: v1\nmetadata: {}\n' }, expected: ['manifest/identity 1'] },
    { name: 'YAML that is no Kubernetes object is skipped', files: { 'x.yaml': 'replicas: 3\nimage: x\n' }, expected: [] },
  ];
  const knownKind = (group: string, kind: string): boolean => ['/ConfigMap', 'cluster.x-k8s.io/Cluster'].includes(`${group}/${kind}`);
  const configCases: { name: string; text: string; expected: string[] }[] = [
    { name: "kind's cluster config", text: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: control-plane}]\n', expected: ['manifest/not-an-object info 1'] },
    { name: 'a kubeadm config after an object', text: `${cm('a')}---\napiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n`, expected: ['manifest/not-an-object info 6'] },
    { name: "clusterawsadm's AWSIAMConfiguration", text: 'apiVersion: bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1\nkind: AWSIAMConfiguration\nspec:\n  eks: {disable: false}\n', expected: ['manifest/not-an-object info 1'] },
    { name: "the Flux CLI's .fluxschema.yml", text: 'apiVersion: schema.plugin.fluxcd.io/v1beta1\nkind: Config\nvalidate:\n  skipMissingSchemas: true\n', expected: ['manifest/not-an-object info 1'] },
    { name: "clusterctl's metadata.yaml, which has no kind", text: 'apiVersion: clusterctl.cluster.x-k8s.io/v1alpha3\nreleaseSeries: []\n', expected: ['manifest/not-an-object info 1'] },
    { name: 'a known kind without metadata is still an error', text: 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n', expected: ['manifest/identity error 1'] },
    { name: 'a CAPI Cluster without metadata is still an error', text: 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\n', expected: ['manifest/identity error 1'] },
    { name: 'an unknown kind with metadata but no name is still an error', text: 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {labels: {a: b}}\n', expected: ['manifest/identity error 1'] },
  ];
  it('a ytt template (valid YAML with #@ annotations) is skipped with an info line, pointing at the first annotation', () => {
    const dir = tree({ 'x.yaml': '# issuers\n#@ load("@ytt:data", "data")\n---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: le\nspec:\n  acme:\n    email: #@ data.values.email\n' });
    const { unit, problems } = loadInput({ kind: 'files', files: [path.join(dir, 'x.yaml')], name: 'x' }, context());
    assert.deepEqual([unit.resources.length, problems.map((p) => `${p.ruleId} ${p.severity} ${p.location?.line}`)], [0, ['input/template info 2']]);
    const plain = tree({ 'x.yaml': `# a comment about #@ is no annotation\n${cm('a')}` });
    assert.deepEqual(loadInput({ kind: 'files', files: [path.join(plain, 'x.yaml')], name: 'x' }, context()).problems, []);
  });

  for (const c of configCases) {
    it(`tool configuration files: ${c.name}`, () => {
      const dir = tree({ 'x.yaml': c.text });
      const { problems } = loadInput({ kind: 'files', files: [path.join(dir, 'x.yaml')], name: 'x' }, { ...context(), knownKind });
      assert.deepEqual(problems.map((p) => `${p.ruleId} ${p.severity} ${p.location?.line}`), c.expected);
    });
  }

  for (const c of problemCases) {
    it(c.name, () => {
      const dir = tree(c.files);
      const { problems } = loadInput({ kind: 'files', files: [path.join(dir, 'x.yaml')], name: 'x' }, context());
      assert.deepEqual(problems.map((p) => `${p.ruleId} ${p.location?.line}`), c.expected);
    });
  }

  it('a kustomization that does not build is bad input, pointed at its file', () => {
    const dir = tree({ 'kustomization.yaml': 'resources: [missing.yaml]\n' });
    const { problems } = loadInput({ kind: 'kustomization', dir }, context());
    assert.deepEqual(problems.map((p) => [p.ruleId, path.basename(p.location!.file), p.location!.line]), [['input/build', 'kustomization.yaml', 1]]);
  });

  it('with no --load-restrictor, a kustomization that builds only with none is built so and checked, with a warning', () => {
    const dir = tree({ 'templates/test/ci/prow/kustomization.yaml': 'resources: [../../../flavors/default/cm.yaml]\n', 'templates/flavors/default/cm.yaml': cm('default') });
    const input: Input = { kind: 'kustomization', dir: path.join(dir, 'templates/test/ci/prow') };
    const either = loadInput(input, context());
    assert.deepEqual(either.unit.resources.map((r) => r.name), ['default']);
    assert.deepEqual(either.problems.map((p) => `${p.ruleId} ${p.severity}`), ['input/load-restrictor warning']);
    assert.match(either.problems[0]!.message, /^builds only with --load-restrictor none: security; file '.*cm\.yaml' is not in or below/);
    const root = loadInput(input, { ...context(), build: { loadRestrictor: 'root' } });
    assert.deepEqual([root.unit.resources.length, root.problems.map((p) => `${p.ruleId} ${p.severity}`)], [0, ['input/build error']]);
    const none = loadInput(input, { ...context(), build: { loadRestrictor: 'none' } });
    assert.deepEqual([none.unit.resources.length, none.problems], [1, []]);
  });

  it('a kustomization capifleet cannot build offline or without --enable-helm is left unchecked (a warning), not wrong', () => {
    const dir = tree({
      'addons/remote/kustomization.yaml': 'resources: [https://example.com/components.yaml]\n',
      'addons/chart/kustomization.yaml': 'helmCharts: [{name: metrics-server, repo: https://example.com, version: 1.0.0}]\n',
    });
    for (const sub of ['addons/remote', 'addons/chart']) {
      const { problems } = loadInput({ kind: 'kustomization', dir: path.join(dir, sub) }, context());
      assert.deepEqual(problems.map((p) => `${p.ruleId} ${p.severity}`), ['input/unchecked warning'], sub);
    }
  });

  it('reads stdin, expanding Lists', () => {
    const { unit } = loadInput({ kind: 'stdin' }, context(`apiVersion: v1\nkind: List\nitems:\n- ${cm('a').replace(/\n(?=.)/g, '\n  ')}`));
    assert.deepEqual([unit.name, unit.resources.map((r) => r.name)], ['-', ['a']]);
  });
});
