import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BASE_SPEC as FLEET } from '../fleet/specs.js';
import { pastTheClockTick } from '../support/files.js';
import { writeLargeTree } from '../support/large-tree.js';
import { casesDir, cliPath } from '../support/paths.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function capifleet(args: string[], options: { cwd: string; stdin?: string | Buffer; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...options.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [cliPath, 'validate', ...args], { cwd: options.cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-validate-'));
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  }
  return root;
}

const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: "1"\n';
const BAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: 1\n';
const UNKNOWN = 'apiVersion: example.io/v1\nkind: Gadget\nmetadata:\n  name: g\n';
const TEMPLATED = 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata:\n  name: md\nspec:\n  clusterName: c\n  replicas: ${WORKER_MACHINE_COUNT}\n  selector: {}\n  template:\n    spec:\n      clusterName: c\n      bootstrap: {dataSecretName: x}\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachineTemplate, name: t}\n';

/** A repository with a management entry point whose source no spec names, and a bootstrapped cluster `b`. */
const MANAGED: Record<string, string> = {
  'overlays/_management/kustomization.yaml': 'resources: [source.yaml, apps.yaml]\n',
  'overlays/_management/source.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: fleet\n  namespace: fleet\nspec:\n  interval: 5m\n  url: https://example.com/other\n',
  'overlays/_management/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: fleet\nspec:\n  interval: 10m\n  prune: true\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n',
  'apps/cm.yaml': GOOD,
  'clusters/b/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
  'clusters/b/cm.yaml': GOOD,
};

describe('capifleet validate', { concurrency: true }, () => {
  const cases: { name: string; files: Record<string, string>; args: string[]; stdin?: string | Buffer; env?: Record<string, string>; status: number; out?: RegExp; err?: RegExp; noOut?: RegExp }[] = [
    { name: 'no findings: exit 0 (default path: the working directory)', files: { 'a.yaml': GOOD }, args: [], status: 0, out: /✔ 0 errors, 0 warnings in 1 overlay \(1 resource\)/ },
    { name: 'warnings only: exit 0', files: { 'a.yaml': UNKNOWN }, args: ['a.yaml'], status: 0, out: /no schema for example\.io\/v1 Gadget/ },
    { name: 'errors: exit 1, pointing at the line', files: { 'a.yaml': BAD }, args: ['.'], status: 1, out: /a\.yaml:6: ConfigMap bad: data\.a: expected string, got integer 1 \[schema\/type\]/ },
    { name: '--missing-schemas error: exit 1', files: { 'a.yaml': UNKNOWN }, args: ['--missing-schemas', 'error'], status: 1, out: /error +a\.yaml:1/ },
    { name: '--missing-schemas ignore', files: { 'a.yaml': UNKNOWN }, args: ['--missing-schemas', 'ignore'], status: 0, out: /0 warnings/ },
    { name: 'stdin', files: {}, args: ['-', '-o', 'github'], stdin: BAD, status: 1, out: /^::error title=capifleet schema\/type::ConfigMap bad/m },
    // bytes on stdin are read as a file's: UTF-16 with its byte-order mark, as go-yaml reads it
    { name: 'UTF-16 on stdin, as from a file', files: {}, args: ['-'], stdin: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]), status: 0, out: /0 errors/ },
    { name: 'template variables are exempt', files: { 'md.yaml': TEMPLATED }, args: ['md.yaml'], status: 0 },
    { name: '--strict-vars checks them', files: { 'md.yaml': TEMPLATED }, args: ['md.yaml', '--strict-vars'], status: 1, out: /spec\.replicas: expected integer/ },
    { name: '--var substitutes first', files: { 'md.yaml': TEMPLATED }, args: ['md.yaml', '--var', 'WORKER_MACHINE_COUNT=many'], status: 1, out: /got string "many"/ },
    { name: 'a path after --var stays a path', files: { 'md.yaml': TEMPLATED, 'a.yaml': BAD }, args: ['--var', 'WORKER_MACHINE_COUNT=many', 'md.yaml'], status: 1, out: /^(?![\s\S]*a\.yaml)[\s\S]*got string "many"/ },
    { name: '--vars-file', files: { 'md.yaml': TEMPLATED, 'vars.env': 'WORKER_MACHINE_COUNT=3\n' }, args: ['md.yaml', '--vars-file', 'vars.env', '--strict-vars'], status: 0 },
    { name: '.capifleet.yaml re-grades a rule', files: { 'a.yaml': BAD, '.capifleet.yaml': 'rules:\n  schema/type: warning\n' }, args: [], status: 0, out: /warning +a\.yaml:6/ },
    {
      name: 'a Flux repository: checked cluster by cluster; a path that does not build is a finding (exit 1, not 2)',
      files: {
        'clusters/staging/flux-system/gotk-sync.yaml': '# written by flux bootstrap\n',
        'clusters/staging/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1m\n  prune: true\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
        'apps/kustomization.yaml': 'resources: [absent.yaml]\n',
      },
      args: [],
      status: 1,
      out: /^cluster staging\n {2}error +apps\/kustomization\.yaml:1: Kustomization flux-system\/apps: .*absent\.yaml.* \[input\/build\]$/m,
    },
    { name: 'colors when forced, never with NO_COLOR', files: { 'a.yaml': BAD }, args: [], env: { FORCE_COLOR: '1', NO_COLOR: '1' }, status: 1, noOut: /\x1b/ },
    { name: 'FORCE_COLOR colors', files: { 'a.yaml': BAD }, args: [], env: { FORCE_COLOR: '1' }, status: 1, out: /\x1b\[31merror/ },
    { name: 'a fleet spec is checked as generate would, not taken for a kind without schema', files: { 'fleet.yaml': FLEET }, args: [], status: 0, out: /✔ 0 errors, 0 warnings/ },
    { name: 'a bad fleet spec: its error with file and line', files: { 'fleet.yaml': FLEET.replace('environment: dev', 'environment: qa') }, args: [], status: 1, out: /fleet\.yaml:\d+: .*qa.* \[fleet\/spec\]/ },
    { name: 'sarif output', files: { 'a.yaml': BAD }, args: ['-o', 'sarif'], status: 1, out: /"startLine": 6/ },
    { name: 'bad YAML: report, then exit 2', files: { 'a.yaml': 'a: [\n' }, args: ['a.yaml'], status: 2, out: /input\/yaml/ },
    { name: 'bad YAML found in a tree: a finding of the repository, exit 1', files: { 'a.yaml': GOOD, 'sub/b.yaml': 'a: [\n' }, args: ['.'], status: 1, out: /sub\/b\.yaml:2: .*\[input\/yaml\]/ },
    {
      name: 'a Go template that is no YAML is skipped with an info line',
      files: { 'a.yaml': GOOD, 'data/rbac.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: {{.Namespace}}\n' },
      args: ['.'],
      status: 0,
      out: /info +data\/rbac\.yaml:\d+: a Go template .* \[input\/template\]/,
    },
    {
      name: 'with no --load-restrictor, a kustomization that builds only with none is checked so, with a warning',
      files: { 'ci/prow/kustomization.yaml': 'resources: [../../flavors/cm.yaml]\n', 'flavors/cm.yaml': BAD },
      args: ['ci/prow'],
      status: 1,
      out: /warning +ci\/prow\/kustomization\.yaml:1: builds only with --load-restrictor none: .*\[input\/load-restrictor\]\n.*error +flavors\/cm\.yaml:6: ConfigMap bad/s,
    },
    {
      name: '--load-restrictor root: such a kustomization does not build',
      files: { 'ci/prow/kustomization.yaml': 'resources: [../../flavors/cm.yaml]\n', 'flavors/cm.yaml': GOOD },
      args: ['ci/prow', '--load-restrictor', 'root'],
      status: 1,
      out: /error +ci\/prow\/kustomization\.yaml:1: .*is not in or below.* \[input\/build\]/,
    },
    { name: 'a path that does not exist: exit 2', files: {}, args: ['nope'], status: 2, err: /no such file or directory: nope/ },
    { name: 'an unknown output format: exit 2', files: { 'a.yaml': GOOD }, args: ['-o', 'xml'], status: 2, err: /^capifleet: --output: "xml" is not one of "text", .*\n$/ },
    { name: 'a bad --var: exit 2', files: { 'a.yaml': GOOD }, args: ['--var', 'novalue'], status: 2, err: /--var novalue: expected NAME=VALUE/ },
    { name: 'a bad configuration: exit 2', files: { 'a.yaml': GOOD, '.capifleet.yaml': 'rules:\n  nope: off\n' }, args: [], status: 2, err: /\.capifleet\.yaml:2: unknown rule "nope"/ },
    { name: '--exclude leaves a folder out of the search', files: { 'a.yaml': GOOD, 'test/b.yaml': BAD }, args: ['--exclude', 'test/'], status: 0, out: /✔ 0 errors, 0 warnings in 1 overlay \(1 resource\)/ },
    { name: 'exclude: in .capifleet.yaml, relative to it', files: { 'a.yaml': GOOD, 'test/b.yaml': BAD, '.capifleet.yaml': 'exclude: ["**/b.yaml"]\n' }, args: [], status: 0, out: /in 1 overlay \(1 resource\)/ },
    { name: 'a path named is checked, whatever is excluded', files: { 'test/b.yaml': BAD, '.capifleet.yaml': 'exclude: [test]\n' }, args: ['test'], status: 1, out: /test\/b\.yaml:6/ },
    { name: '--entry starts there (one folder each, never taking the paths after it)', files: MANAGED, args: ['--entry', 'clusters/b', '.', '-o', 'json'], status: 0, out: /"name": "cluster b"/, noOut: /cluster management/ },
    { name: '--source NAME=PATH follows the source', files: MANAGED, args: ['-o', 'json', '--source', 'fleet/fleet=.', '--exclude', 'clusters'], status: 0, out: /"overlays": \[\s*\{\s*"name": "cluster management",\s*"resources": 3/ },
    { name: 'without it, the source is a note', files: MANAGED, args: ['--exclude', 'clusters'], status: 0, out: /GitRepository fleet\/fleet \(https:\/\/example\.com\/other\) is not this repository \[flux\/source-not-followed\]/ },
    { name: 'a --source without =: exit 2', files: MANAGED, args: ['--source', 'fleet'], status: 2, err: /^capifleet: --source fleet: expected NAME=PATH\n$/ },
    { name: 'a --source folder that does not exist: exit 2', files: MANAGED, args: ['--source', 'fleet=nope'], status: 2, err: /^capifleet: --source nope: no such folder\n$/ },
    { name: 'an --entry that does not exist: exit 2', files: MANAGED, args: ['--entry', 'clusters/c'], status: 2, err: /^capifleet: --entry clusters\/c: no such folder\n$/ },
    { name: '--entry with several paths: exit 2', files: MANAGED, args: ['--entry', 'clusters/b', 'clusters', '--entry', 'apps', 'overlays'], status: 2, err: /^capifleet: --entry starts in one repository folder; got clusters overlays\n$/ },
    { name: 'a bad sources: in the configuration: exit 2', files: { ...MANAGED, '.capifleet.yaml': 'sources:\n  fleet: [x]\n' }, args: [], status: 2, err: /^capifleet: \.capifleet\.yaml:2: source "fleet": expected a folder, got a list of 1\n$/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await capifleet(c.args, { cwd: project(c.files), ...(c.stdin !== undefined ? { stdin: c.stdin } : {}), ...(c.env ? { env: c.env } : {}) });
      assert.equal(r.status, c.status, `${r.stdout}\n${r.stderr}`);
      if (c.out) assert.match(r.stdout, c.out);
      if (c.noOut) assert.doesNotMatch(r.stdout, c.noOut);
      if (c.err) assert.match(r.stderr, c.err);
    });
  }

  it("objects without a namespace go to the Flux Kustomization's targetNamespace; every format names each finding's cluster", async () => {
    const fluxKs = (spec: string): string =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${spec}`;
    const release = [
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\nspec:\n  interval: 1h\n  url: https://charts.example.com\n',
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n        namespace: team\n',
    ].join('---\n');
    const root = project({
      'clusters/staging/flux-system/gotk-sync.yaml': '',
      'clusters/staging/apps.yaml': fluxKs('  path: ./apps/staging\n  targetNamespace: team\n'),
      'clusters/production/flux-system/gotk-sync.yaml': '',
      'clusters/production/apps.yaml': fluxKs('  path: ./apps/production\n'),
      'apps/staging/release.yaml': release,
      'apps/production/release.yaml': release,
    });
    const run = (output: string) => capifleet(['--strict-refs', '--no-cache', '-o', output], { cwd: root });
    const [json, text, github, sarif, markdown, junit] = await Promise.all(['json', 'text', 'github', 'sarif', 'markdown', 'junit'].map(run));
    const findings = (JSON.parse(json!.stdout) as { findings: { ruleId: string; severity: string; overlay: string }[] }).findings;
    // staging puts both objects into team; production leaves them in default, where the reference to team/podinfo fails
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error').map((f) => `${f.overlay} ${f.ruleId}`),
      ['cluster production flux/source-ref'],
    );
    assert.equal(json!.status, 1);
    assert.match(text!.stdout, /^cluster production\n {2}error +apps\/production\/release\.yaml:\d+: HelmRelease podinfo: .*\[flux\/source-ref\]$/m);
    assert.match(github!.stdout, /^::error file=apps\/production\/release\.yaml,.*\(in cluster production\)$/m);
    assert.match(sarif!.stdout, /"overlay": "cluster production"/);
    assert.match(markdown!.stdout, /^### cluster production$/m);
    assert.match(junit!.stdout, /<testsuite name="cluster production" [^>]*failures="1"/);
  });

  it('renders a kustomization; references missing from it are errors only with --strict-refs', async () => {
    const overlay = path.join(casesDir, 'gitops-capi-cluster', 'prod');
    const [lenient, strict] = await Promise.all([
      capifleet([overlay, '--no-cache', '-o', 'json'], { cwd: os.tmpdir() }),
      capifleet([overlay, '--no-cache', '--strict-refs', '-o', 'json'], { cwd: os.tmpdir() }),
    ]);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.equal(strict.status, 1, strict.stderr);
    const findings = JSON.parse(strict.stdout).findings as { ruleId: string; severity: string; location: { file: string } }[];
    assert.ok(findings.some((f) => f.ruleId === 'capi/cluster-refs' && f.severity === 'error' && f.location.file.endsWith('base/cluster.yaml')));
  });
});

describe('capifleet validate: the result cache of manifest files', { concurrency: true }, () => {
  const FLUX = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n  kubeConfig:\n    configMapRef:\n      name: a\n    secretRef:\n      name: b\n';
  const FILES = {
    'm/flux.yaml': FLUX, // a CEL finding, and rule findings the locator must find lines for
    'm/bad.yaml': BAD,
    'm/dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\ndata:\n  k: "1"\n  k: "2"\n',
    'm/noname.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n---\napiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: listed}\n  data: {n: 2}\n',
    'm/md.yaml': TEMPLATED,
    'm/unknown.yaml': UNKNOWN,
    'm/inf.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inf}\ndata:\n  a: .inf\n',
    'm/broken.yaml': 'a: [\n',
  };
  const packFile = (root: string) => path.join(root, '.capifleet-cache', 'results-v1.json');
  const unitsFile = (root: string) => path.join(root, '.capifleet-cache', 'units-v1.json');
  const lastRunFile = (root: string) => path.join(root, '.capifleet-cache', 'last-run-v1.jsonl');
  /** Else a run whose paths show what the last one saw is served whole, and no file's or set's entry is read. */
  const forgetRuns = (root: string) => {
    fs.rmSync(path.join(root, '.capifleet-cache', 'runs-v1.json'), { force: true });
    fs.rmSync(lastRunFile(root), { force: true });
  };
  const units = (root: string) => (fs.existsSync(unitsFile(root)) ? Object.keys(JSON.parse(fs.readFileSync(unitsFile(root), 'utf8')) as object).sort() : []);
  const pack = (root: string): Record<string, { key: string }> => (fs.existsSync(packFile(root)) ? JSON.parse(fs.readFileSync(packFile(root), 'utf8')) : {});
  const entries = (root: string) => Object.entries(pack(root)).map(([file, e]) => `${path.relative(root, file)} ${e.key}`).sort();

  /** The same command with and without the cache gives the same exit code and the same bytes. */
  async function sameAsUncached(root: string, args: string[]): Promise<Run> {
    const cached = await capifleet(args, { cwd: root });
    const uncached = await capifleet([...args, '--no-cache'], { cwd: root });
    assert.equal(cached.status, uncached.status, cached.stderr);
    assert.equal(cached.stdout, uncached.stdout);
    return cached;
  }

  it('gives reports identical to no cache, cold and warm, in every format', async () => {
    const root = project(FILES);
    for (const output of ['json', 'text', 'sarif']) {
      const args = ['m', '--strict-refs', '-o', output];
      const uncached = await capifleet([...args, '--no-cache'], { cwd: root });
      const cold = await capifleet(args, { cwd: root });
      const warm = await capifleet(args, { cwd: root });
      assert.equal(uncached.status, 1, uncached.stderr); // broken.yaml, found in the tree: a finding, not bad input
      for (const r of [cold, warm]) {
        assert.equal(r.status, uncached.status, r.stderr);
        assert.equal(r.stdout, uncached.stdout);
      }
    }
    const json = JSON.parse((await capifleet(['m', '--strict-refs', '-o', 'json'], { cwd: root })).stdout) as { findings: { ruleId: string; location: { line: number } }[] };
    const seen = new Set(json.findings.map((f) => `${f.ruleId} ${f.location.line}`));
    for (const expected of ['schema/cel 13', 'flux/kubeconfig 16', 'flux/source-ref 10', 'schema/type 6', 'yaml/duplicate-key 6', 'manifest/identity 1', 'input/yaml 2'])
      assert.ok(seen.has(expected), `${expected} in ${[...seen].join(', ')}`);
    // every file that parsed has an entry, except the one holding a value JSON cannot carry (.inf)
    assert.equal(entries(root).length, Object.keys(FILES).length - 1);
  });

  it('reads a changed file again, keeps the entries of files not read while they exist', async () => {
    const root = project({ ...FILES, 'other/a.yaml': GOOD });
    await capifleet(['.'], { cwd: root });
    const before = entries(root);
    assert.ok(before.some((e) => e.startsWith('other/a.yaml ')));
    fs.writeFileSync(path.join(root, 'm', 'bad.yaml'), GOOD);
    fs.rmSync(path.join(root, 'm', 'dup.yaml'));
    const r = await sameAsUncached(root, ['m', '-o', 'json']);
    assert.doesNotMatch(r.stdout, /ConfigMap bad|duplicate/);
    const after = entries(root);
    assert.deepEqual(after.filter((e) => !before.includes(e)).map((e) => e.split(' ')[0]), ['m/bad.yaml']);
    assert.deepEqual(before.filter((e) => !after.includes(e)).map((e) => e.split(' ')[0]).sort(), ['m/bad.yaml', 'm/dup.yaml']);
    fs.rmSync(path.join(root, 'other', 'a.yaml'));
    fs.writeFileSync(path.join(root, 'm', 'bad.yaml'), BAD);
    await sameAsUncached(root, ['m', '-o', 'json']);
    assert.ok(!entries(root).some((e) => e.startsWith('other/')));
  });

  it('changed variables, options and configuration give fresh results', async () => {
    const root = project(FILES);
    const runs = [
      ['m', '--var', 'WORKER_MACHINE_COUNT=many'],
      ['m', '--var', 'WORKER_MACHINE_COUNT=3'],
      ['m', '--strict-vars'],
      ['m'],
      ['m', '--missing-schemas', 'error'],
      ['m', '--missing-schemas', 'ignore'],
    ];
    const outputs: string[] = [];
    for (const args of runs) outputs.push((await sameAsUncached(root, [...args, '-o', 'json'])).stdout);
    // each run's options change the findings, so a stale entry would show
    outputs.slice(1).forEach((out, i) => assert.notEqual(out, outputs[i]));
    fs.writeFileSync(path.join(root, '.capifleet.yaml'), 'rules:\n  schema/type: warning\n  schema/cel: off\n');
    const regraded = await sameAsUncached(root, ['m', '-o', 'json']);
    assert.doesNotMatch(regraded.stdout, /schema\/cel/);
  });

  it('ignores corrupt or foreign entries and rewrites them', async () => {
    const root = project(FILES);
    const expected = await capifleet(['m', '-o', 'json', '--no-cache'], { cwd: root });
    await capifleet(['m'], { cwd: root });
    const good = fs.readFileSync(packFile(root), 'utf8');
    const files = Object.keys(pack(root));
    const badEntries = [1, null, [], 'x', { other: true }, { key: 'x', objects: [], problems: [], objectFindings: [] }];
    const foreign = Object.fromEntries(files.map((f, i) => [f, i === 0 ? { ...pack(root)[f], objects: 1 } : badEntries[i % badEntries.length]]));
    for (const junk of ['{', '', '[]', 'null', '"x"', JSON.stringify(foreign)]) {
      fs.writeFileSync(packFile(root), junk);
      fs.rmSync(unitsFile(root)); // else the set is served whole and the files' entries are not read
      forgetRuns(root);
      const r = await capifleet(['m', '-o', 'json'], { cwd: root });
      assert.equal(r.stdout, expected.stdout);
      assert.equal(fs.readFileSync(packFile(root), 'utf8'), good);
    }
  });

  it("serves a set of unchanged files whole, without reading its files' entries, until one changes", async () => {
    const root = project(FILES);
    const expected = await capifleet(['m', '--strict-refs', '-o', 'json', '--no-cache'], { cwd: root });
    await capifleet(['m', '--strict-refs'], { cwd: root });
    assert.deepEqual(units(root), ['m']);
    fs.writeFileSync(packFile(root), '{');
    forgetRuns(root);
    const warm = await capifleet(['m', '--strict-refs', '-o', 'json'], { cwd: root });
    assert.equal(warm.status, expected.status);
    assert.equal(warm.stdout, expected.stdout);
    assert.equal(fs.readFileSync(packFile(root), 'utf8'), '{', "the files' entries were neither read nor rewritten");
    fs.writeFileSync(path.join(root, 'm', 'bad.yaml'), GOOD);
    const changed = await sameAsUncached(root, ['m', '--strict-refs', '-o', 'json']);
    assert.doesNotMatch(changed.stdout, /ConfigMap bad/);
    assert.equal(entries(root).length, Object.keys(FILES).length - 1);
  });

  it('ignores corrupt or foreign entries of sets, and drops those of sets whose files are gone', async () => {
    const root = project({ ...FILES, 'other/a.yaml': GOOD });
    const expected = await capifleet(['m', '-o', 'json', '--no-cache'], { cwd: root });
    await capifleet(['.'], { cwd: root });
    assert.deepEqual(units(root), ['m', 'other']);
    const good = JSON.parse(fs.readFileSync(unitsFile(root), 'utf8')) as Record<string, { key: string }>;
    const foreign = { m: { key: good.m!.key, unit: { name: 'm', resources: [] }, findings: 'x', files: [] }, other: good.other };
    for (const junk of ['{', '[]', 'null', JSON.stringify(foreign), JSON.stringify({ ...good, m: { ...good.m, key: 'x' } })]) {
      fs.writeFileSync(unitsFile(root), junk);
      forgetRuns(root);
      const r = await capifleet(['m', '-o', 'json'], { cwd: root });
      assert.equal(r.stdout, expected.stdout);
      assert.deepEqual(JSON.parse(fs.readFileSync(unitsFile(root), 'utf8')).m, good.m);
    }
    fs.rmSync(path.join(root, 'other', 'a.yaml'));
    fs.writeFileSync(path.join(root, 'm', 'bad.yaml'), GOOD);
    await sameAsUncached(root, ['m', '-o', 'json']);
    assert.deepEqual(units(root), ['m']);
  });

  it('serves entries holding non-ASCII text unchanged', async () => {
    const root = project({ 'm/u.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grüße-🚀\ndata:\n  k: "ünïcödé 🚀"\n' });
    for (let run = 0; run < 2; run++) {
      const r = await sameAsUncached(root, ['m', '-o', 'json']);
      assert.match(r.stdout, /name \\"grüße-🚀\\" must be a DNS-1123 subdomain/);
    }
    assert.match(fs.readFileSync(packFile(root), 'utf8'), /ünïcödé 🚀/);
  });

  it('serves the last run by its paths\' stats alone, and not once a file was rewritten with the same size or the scope changed', async () => {
    const root = project({ 'm/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aa}\n', 'm/b.yaml': GOOD });
    const args = ['m', '-o', 'json'];
    const cold = await sameAsUncached(root, args);
    assert.ok(fs.existsSync(lastRunFile(root)), 'the run was kept as the last one');
    const runs = path.join(root, '.capifleet-cache', 'runs-v1.json');
    fs.writeFileSync(runs, '{');
    const warm = await capifleet(args, { cwd: root, env: { CAPIFLEET_DEBUG: '1' } });
    assert.equal(warm.stdout, cold.stdout);
    assert.match(warm.stderr, /served whole by the last run/);
    assert.equal(fs.readFileSync(runs, 'utf8'), '{', 'the result cache was not read nor written');
    // the same size, within the same second: only the stat's times and inode tell
    fs.writeFileSync(path.join(root, 'm', 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: A_}\n');
    const changed = await sameAsUncached(root, args);
    assert.notEqual(changed.stdout, cold.stdout);
    const other = await capifleet([...args, '--strict-refs'], { cwd: root, env: { CAPIFLEET_DEBUG: '1' } });
    assert.doesNotMatch(other.stderr, /served whole by the last run/);
    const kept = fs.readFileSync(lastRunFile(root), 'utf8');
    const [head, result] = kept.split('\n') as [string, string];
    const stamps = JSON.parse(head) as [string, (string | null)[]];
    for (const junk of ['', '{', '[]\n{}', `${head}\n{"units":1}`, `${JSON.stringify([stamps[0], [...stamps[1], 'x']])}\n${result}`, `${JSON.stringify([stamps[0], stamps[1].map((s) => (s === null ? 1 : s))])}\n${result}`]) {
      fs.writeFileSync(lastRunFile(root), junk);
      const r = await capifleet([...args, '--strict-refs'], { cwd: root, env: { CAPIFLEET_DEBUG: '1' } });
      assert.equal(r.stdout, other.stdout);
      assert.doesNotMatch(r.stderr, /served whole by the last run/);
      assert.match(r.stderr, /served whole by the result cache/);
    }
    const again = await capifleet([...args, '--strict-refs'], { cwd: root, env: { CAPIFLEET_DEBUG: '1' } });
    assert.match(again.stderr, /served whole by the last run/, 'a run the result cache served whole is kept as the last one');
    assert.equal(again.stdout, other.stdout);
  });

  it("keeps its first run's report in a project without a cache folder, whose folder making one changes", async () => {
    const root = project({ 'a.yaml': GOOD });
    const runs = path.join(root, '.capifleet-cache', 'runs-v1.json');
    await capifleet(['.'], { cwd: root });
    assert.ok(fs.existsSync(runs), 'the run was kept');
    assert.equal(Object.keys(JSON.parse(fs.readFileSync(runs, 'utf8')) as object).length, 1);
  });

  it('keeps its cache folder out of version control', async (t) => {
    const root = project(FILES);
    if (spawnSync('git', ['init', '-q'], { cwd: root }).status !== 0) return t.skip('git is not installed');
    await capifleet(['m'], { cwd: root });
    assert.ok(fs.existsSync(packFile(root)));
    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(status.stdout.split('\n').filter(Boolean).sort(), Object.keys(FILES).map((f) => `?? ${f}`).sort());
  });

  it('keeps nothing with --no-cache, and nothing for kustomizations or stdin', async () => {
    const root = project({ ...FILES, 'k/kustomization.yaml': 'resources:\n- a.yaml\n', 'k/a.yaml': BAD });
    await capifleet(['m', '--no-cache'], { cwd: root });
    assert.deepEqual(entries(root), []);
    assert.deepEqual(units(root), []);
    await capifleet(['k', '-'], { cwd: root, stdin: BAD });
    assert.deepEqual(entries(root), []);
    assert.deepEqual(units(root), []);
  });
});

describe('capifleet validate: large inputs over worker threads', { concurrency: true }, () => {
  const debug = { CAPIFLEET_DEBUG: '1' };
  const threadsUsed = (r: Run) => /validated on (\d+) thread/.exec(r.stderr)?.[1];
  const withoutDebug = (stderr: string) => stderr.replace(/^capifleet: debug: .*\n/gm, '');
  const cacheFiles = (root: string) => fs.readdirSync(path.join(root, '.capifleet-cache'), { recursive: true }).map(String).sort();

  it('gives the same report, exit code and warnings on one thread and on two, and saves the same caches', async () => {
    const [serialRoot, parallelRoot] = [project({}), project({})];
    writeLargeTree(serialRoot);
    writeLargeTree(parallelRoot);
    // which caches a run keeps depends on whether its files changed within a clock tick of it
    await pastTheClockTick();
    const args = ['.', '--strict-refs', '-o', 'json'];
    const [serial, parallel] = await Promise.all([
      capifleet([...args, '--jobs', '1'], { cwd: serialRoot, env: debug }),
      capifleet([...args, '--jobs', '2'], { cwd: parallelRoot, env: debug }),
    ]);
    assert.equal(threadsUsed(serial), '1', serial.stderr);
    assert.equal(threadsUsed(parallel), '2', parallel.stderr);
    assert.equal(parallel.status, 1, parallel.stderr); // the overlays that do not build, the bad YAML found in the tree
    assert.equal(parallel.status, serial.status);
    assert.equal(parallel.stdout.replaceAll(parallelRoot, serialRoot), serial.stdout);
    assert.equal(withoutDebug(parallel.stderr), withoutDebug(serial.stderr));
    assert.match(parallel.stderr, /commonLabels/);
    // the result cache has every file's entry, the V8 code cache every schema's code any thread loaded
    assert.deepEqual(cacheFiles(parallelRoot), cacheFiles(serialRoot));
    const warm = await capifleet([...args, '--jobs', '2'], { cwd: parallelRoot, env: debug });
    assert.equal(warm.stdout, parallel.stdout);
  });

  it("gives the same report, exit code and warnings when the cluster graph's builds are made on two threads as on one", async () => {
    const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${spec}`;
    const files: Record<string, string> = {
      'hub/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
      'hub/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://github.com/example/hub\n  ref:\n    branch: main\n---\n${ks('flux-system', '  path: ./hub\n')}`,
      'workload/kustomization.yaml': 'resources: [cm.yaml]\n',
      'workload/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: info\n  namespace: default\ndata:\n  cluster: ${CLUSTER}\n',
      'legacy/kustomization.yaml': 'resources: [bad.yaml]\ncommonLabels: {team: a}\n',
      'legacy/bad.yaml': BAD,
    };
    for (let i = 0; i < 30; i++) {
      files[`hub/c${i}.yaml`] = `${ks(`c${i}`, `  path: ./clusters/c${i}\n`)}---\n${ks(`c${i}-workload`, `  path: ./workload\n  kubeConfig:\n    secretRef:\n      name: c${i}-kubeconfig\n  postBuild:\n    substitute:\n      CLUSTER: c${i}\n`)}`;
      files[`clusters/c${i}/kustomization.yaml`] = `resources: [cm.yaml${i % 7 === 3 ? ', missing.yaml' : ''}${i % 5 === 1 ? ', ../../legacy' : ''}]\nnamePrefix: c${i}-\n`;
      files[`clusters/c${i}/cm.yaml`] = GOOD;
    }
    const [oneRoot, twoRoot] = [project(files), project(files)];
    const args = ['.', '--no-cache', '-o', 'json'];
    const [one, two] = await Promise.all([capifleet([...args, '--jobs', '1'], { cwd: oneRoot, env: debug }), capifleet([...args, '--jobs', '2'], { cwd: twoRoot, env: debug })]);
    // the 30 overlays and the workload they share, all ready at once
    assert.match(two.stderr, /cluster graph: built 31 paths on 2 threads/);
    assert.doesNotMatch(one.stderr, /cluster graph: built/);
    assert.equal(two.status, 1, two.stderr); // the overlays that do not build, the bad ConfigMaps
    assert.equal(two.status, one.status);
    assert.equal(two.stdout.replaceAll(twoRoot, oneRoot), one.stdout);
    assert.equal(withoutDebug(two.stderr).replaceAll(twoRoot, oneRoot), withoutDebug(one.stderr));
    assert.match(two.stderr, /commonLabels/);
    const report = JSON.parse(one.stdout) as { summary: { units: number }; findings: { ruleId: string }[] };
    assert.equal(report.summary.units, 31);
    assert.deepEqual([...new Set(report.findings.map((f) => f.ruleId))].sort(), ['flux/kubeconfig', 'input/build', 'schema/type']);
  });

  it('stays on one thread for small inputs by default', async () => {
    const r = await capifleet(['a.yaml', 'b.yaml'], { cwd: project({ 'a.yaml': GOOD, 'b.yaml': GOOD }), env: debug });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(threadsUsed(r), '1');
  });

  for (const jobs of ['0', '1.5', 'many']) {
    it(`refuses --jobs ${jobs}: exit 2`, async () => {
      const r = await capifleet(['a.yaml', '--jobs', jobs], { cwd: project({ 'a.yaml': GOOD }) });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--jobs .*: expected a whole number of threads, 1 or more/);
    });
  }
});
