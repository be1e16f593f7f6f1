/**
 * `capifleet diff` and `promote` on a repository shaped like a Flux repository without fleet.yaml
 * (`clusters/<env>/` entry points whose Flux Kustomizations apply `apps/<env>`, the versions set
 * by inline patch strings of each environment's kustomization, one chart on `chartRef`): the
 * environments are the clusters Flux reaches; a staging-only bump shows in every output of
 * `diff staging production`; promote edits inside the patch strings keeping comments and
 * production's own values, writes nothing in a dry run, and leaves nothing more to promote.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { tempTree } from '../support/files.js';
import { fluxInstance } from '../support/flux-instance.js';
import { git, runCli } from '../support/cli.js';

const capifleet = runCli;

/** The Flux Kustomization of `clusters/<env>/` that applies `apps/<env>`. */
const apps = (env: string): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const BASE = {
  'apps/base/kustomization.yaml': 'resources:\n  - podinfo.yaml\n  - cert-manager.yaml\n',
  'apps/base/podinfo.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, version: 6.7.0, sourceRef: {kind: HelmRepository, name: podinfo}}}
  values: {replicaCount: 1}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: apps}
spec: {interval: 1h, url: 'https://stefanprodan.github.io/podinfo'}
`,
  'apps/base/cert-manager.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: cert-manager-chart
  namespace: apps
spec:
  interval: 1h
  url: oci://quay.io/jetstack/charts/cert-manager
  ref:
    tag: v1.19.0
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cert-manager
  namespace: apps
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: cert-manager-chart
`,
};

/** An environment's kustomization: the chart version and replicas by a JSON 6902 patch string, the chart of the chartRef by a strategic-merge one. */
const overlay = (env: string, chart: string, tag: string, replicas: number): string => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  # what ${env} runs
  - target: {kind: HelmRelease, name: podinfo}
    patch: |
      # ${env}'s own size
      - {op: replace, path: /spec/values/replicaCount, value: ${replicas}}
      - op: replace
        path: /spec/chart/spec/version
        value: "${chart}"   # the release
  - patch: |
      apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: cert-manager-chart
        namespace: apps
      spec:
        ref:
          tag: ${tag}
`;

function fluxRepository(): string {
  const root = tempTree('promote-flux', {
    'clusters/staging/apps.yaml': apps('staging'),
    'clusters/production/apps.yaml': apps('production'),
    ...BASE,
    'apps/staging/kustomization.yaml': overlay('staging', '6.8.0', 'v1.20.2', 1),
    'apps/production/kustomization.yaml': overlay('production', '6.7.1', 'v1.19.3', 3),
  });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'initial');
  return root;
}

const PRODUCTION = 'apps/production/kustomization.yaml';

describe('diff and promote on a Flux repository without fleet.yaml', () => {
  let root = '';
  beforeEach(() => {
    root = fluxRepository();
  });

  it('diff staging production: the clusters Flux reaches, the staging-only bump in every output', () => {
    const text = capifleet(['diff', 'staging', 'production'], root);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^cluster staging → production \(changed\)$/m);
    assert.match(text.stdout, /^-      version: 6\.8\.0$/m);
    assert.match(text.stdout, /^\+      version: 6\.7\.1$/m);
    assert.match(text.stdout, /^-    tag: v1\.20\.2$/m);
    const md = capifleet(['diff', 'staging', 'production', '-o', 'markdown'], root);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^\| `staging → production` \| changed \| 0 \| 2 \| 0 \| 0 \|$/m);
    assert.match(md.stdout, /^\+      version: 6\.7\.1$/m);
    const json = JSON.parse(capifleet(['diff', 'staging', 'production', '-o', 'json'], root).stdout) as { clusters: { resources: { kind: string; fields: { path: string; from?: unknown; to?: unknown }[] }[] }[] };
    const fields = json.clusters[0]!.resources.flatMap((r) => r.fields.map((f) => `${r.kind} ${f.path}: ${String(f.from)} → ${String(f.to)}`));
    assert.deepEqual(fields.sort(), ['HelmRelease spec.chart.spec.version: 6.8.0 → 6.7.1', 'HelmRelease spec.values.replicaCount: 1 → 3', 'OCIRepository spec.ref.tag: v1.20.2 → v1.19.3']);
    assert.equal(capifleet(['diff', 'staging', 'production', '--exit-code'], root).status, 1);
  });

  it('diff of two folders holding files beside overlays (clusters/<env>/ with flux-system/) compares their overlays', () => {
    const folders = tempTree('diff-folders', {
      'clusters/staging/apps.yaml': apps('staging'),
      'clusters/staging/flux-system/kustomization.yaml': 'resources:\n  - config.yaml\n',
      'clusters/staging/flux-system/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n',
      'clusters/production/apps.yaml': apps('production'),
      'clusters/production/flux-system/kustomization.yaml': 'resources:\n  - config.yaml\n',
      'clusters/production/flux-system/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "2"\n',
    });
    const r = capifleet(['diff', 'clusters/staging', 'clusters/production'], folders);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^cluster flux-system \(changed\)$/m);
  });

  it("diff of two clusters whose folder names are words of their values (d2-fleet's clusters/staging, ENVIRONMENT: staging) shows the values as they are", () => {
    const runtime = (cluster: string, environment: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: runtime-info, namespace: flux-system}
data: {CLUSTER_NAME: ${cluster}-1, ENVIRONMENT: ${environment}, SYNC_PATH: clusters/${cluster}}
`;
    const repo = tempTree('diff-flux-names', {
      'clusters/staging/runtime-info.yaml': runtime('staging', 'staging'),
      'clusters/prod-eu/runtime-info.yaml': runtime('prod-eu', 'production'),
    });
    const text = capifleet(['diff', 'staging', 'prod-eu'], repo);
    assert.equal(text.status, 0, text.stderr);
    assert.ok(!text.stdout.includes('<cluster>'), text.stdout);
    assert.match(text.stdout, /^- {2}ENVIRONMENT: staging$/m);
    assert.match(text.stdout, /^\+ {2}ENVIRONMENT: production$/m);
    const json = JSON.parse(capifleet(['diff', 'staging', 'prod-eu', '-o', 'json'], repo).stdout) as { clusters: { resources: { fields: { path: string; from?: unknown; to?: unknown }[] }[] }[] };
    // each cluster's name is still no difference: CLUSTER_NAME and SYNC_PATH differ only by it
    assert.deepEqual(json.clusters[0]!.resources.flatMap((r) => r.fields.map((f) => `${f.path}: ${String(f.from)} → ${String(f.to)}`)), ['data.ENVIRONMENT: staging → production']);
  });

  it('promote: a dry run shows the edit inside the patch strings and writes nothing; --write carries the versions and keeps production’s own', () => {
    const before = fs.readFileSync(path.join(root, PRODUCTION), 'utf8');
    const dry = capifleet(['promote', 'staging', 'production'], root);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^-        value: "6\.7\.1"   # the release$/m);
    assert.match(dry.stdout, /^\+        value: "6\.8\.0"   # the release$/m);
    assert.match(dry.stdout, /^\+          tag: v1\.20\.2$/m);
    assert.match(dry.stdout, /^cluster production \(changed\)$/m);
    assert.match(dry.stdout, /0 errors, 0 warnings in 1 overlay/);
    assert.match(dry.stdout, /^promote: dry run, nothing written; run with --write to edit apps\/production\/kustomization\.yaml$/m);
    assert.equal(fs.readFileSync(path.join(root, PRODUCTION), 'utf8'), before);
    assert.equal(git(root, 'status', '--porcelain'), '');

    const r = capifleet(['promote', 'staging', 'production', '--write'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^promote: wrote apps\/production\/kustomization\.yaml; 1 of 1 cluster of production changed$/m);
    // only the two versions changed: the comments, production's replicas and every other byte stay
    assert.equal(fs.readFileSync(path.join(root, PRODUCTION), 'utf8'), overlay('production', '6.8.0', 'v1.20.2', 3));
    const json = JSON.parse(capifleet(['diff', 'staging', 'production', '-o', 'json'], root).stdout) as { clusters: { resources: { fields: { path: string }[] }[] }[] };
    assert.deepEqual(json.clusters[0]!.resources.flatMap((x) => x.fields.map((f) => f.path)), ['spec.values.replicaCount']);
    git(root, 'commit', '-qam', 'promote');
    const again = capifleet(['promote', 'staging', 'production'], root);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^promote: nothing to promote: production already has what staging sets$/m);
  });

  it("promote carries the Flux version of each cluster's FluxInstance (Flux Operator), as d2-fleet's clusters/<name>/flux-system/ define it", () => {
    const repo = tempTree('promote-flux-instance', {
      'clusters/staging/flux-system/flux-instance.yaml': fluxInstance('2.7.x', 'staging'),
      'clusters/production/flux-system/flux-instance.yaml': fluxInstance('2.6.x', 'production'),
    });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'initial');
    const dry = capifleet(['promote', 'staging', 'production', '--only', 'flux'], repo);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^\+    version: "2\.7\.x"   # Flux$/m);
    assert.match(dry.stdout, /^ {2}changed FluxInstance flux-system\/flux$/m);
    const r = capifleet(['promote', 'staging', 'production', '--only', 'flux', '--write'], repo);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(repo, 'clusters/production/flux-system/flux-instance.yaml'), 'utf8'), fluxInstance('2.7.x', 'production'));
  });

  it("a repository without clusters/<name> (d2-infra's components/<name>/<layer>/<env>): every folder named after from gets its sibling named after to promoted", () => {
    const release = (name: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: infra}
spec:
  interval: 1h
  chart: {spec: {chart: ${name}, version: 1.0.0, sourceRef: {kind: HelmRepository, name: ${name}}}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: ${name}, namespace: infra}
spec: {interval: 1h, url: 'https://charts.example.com/${name}'}
`;
    const env = (name: string, version: string): string =>
      `resources:\n  - ../base\npatches:\n  - target: {kind: HelmRelease, name: ${name}}\n    patch: |\n      - op: replace\n        path: /spec/chart/spec/version\n        value: ${version}\n`;
    const repo = tempTree('promote-sibling-folders', {
      'components/cert-manager/controllers/base/kustomization.yaml': 'resources:\n  - release.yaml\n',
      'components/cert-manager/controllers/base/release.yaml': release('cert-manager'),
      'components/cert-manager/controllers/staging/kustomization.yaml': env('cert-manager', '1.20.0'),
      'components/cert-manager/controllers/production/kustomization.yaml': env('cert-manager', '1.19.0'),
      'components/monitoring/controllers/base/kustomization.yaml': 'resources:\n  - release.yaml\n',
      'components/monitoring/controllers/base/release.yaml': release('kube-prometheus-stack'),
      'components/monitoring/controllers/staging/kustomization.yaml': env('kube-prometheus-stack', '66.0.0'),
      'components/monitoring/controllers/production/kustomization.yaml': env('kube-prometheus-stack', '65.0.0'),
      // staging only: nothing beside it to promote into
      'components/canary/staging/kustomization.yaml': 'resources: []\n',
    });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'initial');
    const dry = capifleet(['promote', 'staging', 'production'], repo);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^cluster components\/cert-manager\/controllers\/production \(changed\)$/m);
    assert.match(dry.stdout, /^cluster components\/monitoring\/controllers\/production \(changed\)$/m);
    assert.equal(git(repo, 'status', '--porcelain'), '');
    // diff pairs the same folders, named after the folder holding both
    const before = capifleet(['diff', 'staging', 'production'], repo);
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, /^2 of 2 clusters changed/m);
    assert.match(before.stdout, /^cluster components\/cert-manager\/controllers \(changed\)$/m);
    assert.match(before.stdout, /^-\s+version: 1\.20\.0$/m);
    const r = capifleet(['promote', 'staging', 'production', '--write'], repo);
    assert.equal(r.status, 0, r.stderr);
    const read = (rel: string): string => fs.readFileSync(path.join(repo, rel), 'utf8');
    assert.equal(read('components/cert-manager/controllers/production/kustomization.yaml'), env('cert-manager', '1.20.0'));
    assert.equal(read('components/monitoring/controllers/production/kustomization.yaml'), env('kube-prometheus-stack', '66.0.0'));
    assert.match(capifleet(['diff', 'staging', 'production'], repo).stdout, /^0 of 2 clusters changed/m);
    assert.equal(capifleet(['diff', 'staging', 'qa'], repo).status, 2);
    const unknown = capifleet(['promote', 'staging', 'qa'], repo);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^capifleet: unknown environment "staging": .*no kustomization folder staging beside one named qa\n$/);
  });

  it('--write refuses uncommitted changes in the folders it would write (exit 2)', () => {
    fs.appendFileSync(path.join(root, PRODUCTION), '# a note\n');
    const r = capifleet(['promote', 'staging', 'production', '--write'], root);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'capifleet: uncommitted changes in what promote would write (apps/production/kustomization.yaml); commit or stash them first, or use --force\n');
  });

  it('an unknown environment names the clusters Flux reaches, in one line (exit 2)', () => {
    for (const args of [['promote', 'staging', 'qa'], ['diff', 'staging', 'qa']]) {
      const r = capifleet(args, root);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^capifleet: .*qa.*the clusters Flux reaches here are production, staging\)?\n$/);
    }
  });

  it('NO_COLOR turns colors off in promote and diff; FORCE_COLOR alone colors', () => {
    for (const args of [['promote', 'staging', 'production'], ['diff', 'staging', 'production']]) {
      const colored = capifleet(args, root, { FORCE_COLOR: '1', NO_COLOR: '' });
      assert.match(colored.stdout, /\x1b\[3[12]m/, args.join(' '));
      const plain = capifleet(args, root, { FORCE_COLOR: '1', NO_COLOR: '1' });
      assert.equal(plain.status, 0, plain.stderr);
      assert.ok(!plain.stdout.includes('\x1b['), args.join(' '));
    }
  });
});
