/**
 * `capifleet promote` end to end over generated fleets in git repositories: a staging-only bump
 * (Kubernetes version, a chart version) carried into prod reaches every prod cluster and keeps
 * what prod and its clusters set themselves; a dry run writes nothing; the promotesFrom path, a
 * dirty tree and bad arguments are refused; a tree without a spec promotes image tags and chart
 * versions in its overlays.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { loadFleet } from '../../src/fleet/load.js';
import { listing, tempTree } from '../support/files.js';
import { git, runCli } from '../support/cli.js';

const capifleet = runCli;

/** Every file under a folder (but .git) with its content, to tell that nothing changed. */
function snapshot(root: string): Map<string, string> {
  return new Map(
    listing(root)
      .filter((p) => !p.startsWith('.git/') && p !== '.git' && fs.statSync(path.join(root, p)).isFile())
      .map((p) => [p, fs.readFileSync(path.join(root, p), 'utf8')]),
  );
}

/** A repository holding `files`, committed. */
function repository(prefix: string, files: Record<string, string>): string {
  const root = tempTree(prefix, files);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'initial');
  return root;
}

const FLEET = `# The fleet of the promote tests.
apiVersion: capifleet.io/v1alpha1
kind: Fleet
metadata:
  name: acme
spec:
  repository:
    url: https://github.com/acme/fleet
  defaults:
    provider: aks
    kubernetesVersion: v1.32.6   # the fleet's version
    location: westeurope
    azure:
      subscriptionID: 3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f
      identity: {name: acme-capz, clientID: 7a1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e, tenantID: 0e1d2c3b-4a59-4867-9a5b-6c7d8e9f0a1b}
    nodePools:
      - name: system
        vmSize: Standard_D4ds_v5
        replicas: 3
    addons:
      ingress-nginx: {enabled: true}

  environments:
    - name: dev
    - name: staging
      promotesFrom: dev
      defaults:
        # staging runs ahead
        kubernetesVersion: v1.33.4
        addons:
          ingress-nginx:
            version: 4.12.0
    - name: prod
      promotesFrom: staging
      defaults:
        nodePools:
          - name: system
            replicas: 5   # prod's own size
        addons:
          ingress-nginx:
            values:
              controller: {replicaCount: 3}

  addons:
    - name: ingress-nginx
      namespace: ingress-nginx
      chart: {name: ingress-nginx, version: 4.11.3, repository: https://kubernetes.github.io/ingress-nginx}
      values:
        controller: {replicaCount: 2}

  clusters:
    - name: dev-weu-1
      environment: dev
    - name: staging-weu-1
      environment: staging
    - name: prod-weu-1
      environment: prod
      addons:
        ingress-nginx:
          values:
            controller: {replicaCount: 5}
    - name: prod-neu-1
      environment: prod
      location: northeurope
`;

/** FLEET once staging's settings are carried into prod: only prod's defaults gain lines. */
const PROMOTED = FLEET.replace(
  `            controller: {replicaCount: 3}\n`,
  `            controller: {replicaCount: 3}\n            version: 4.12.0\n        kubernetesVersion: v1.33.4\n`,
);

function fleetRepository(spec = FLEET): string {
  const root = tempTree('promote-cli', { 'fleet.yaml': spec });
  const generated = capifleet(['generate'], root);
  assert.equal(generated.status, 0, generated.stderr);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'initial');
  return root;
}

describe('capifleet promote (fleet spec)', () => {
  let root = '';
  beforeEach(() => {
    root = fleetRepository();
  });

  it('a dry run prints the spec edit, the per-cluster diff and the validation, and writes nothing', () => {
    const before = snapshot(root);
    const r = capifleet(['promote', 'staging', 'prod'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\+ {8}kubernetesVersion: v1\.33\.4$/m);
    assert.match(r.stdout, /^\+ {12}version: 4\.12\.0$/m);
    assert.match(r.stdout, /^ {2}kubernetesVersion: prod now v1\.32\.6, prod promoted v1\.33\.4$/m);
    for (const cluster of ['prod-weu-1', 'prod-neu-1']) assert.match(r.stdout, new RegExp(`^cluster ${cluster} \\(changed\\)$`, 'm'));
    assert.match(r.stdout, /0 errors, 0 warnings in 2 overlays/);
    assert.match(r.stdout, /^promote: dry run, nothing written/m);
    assert.equal(r.stderr, '');
    assert.deepEqual(snapshot(root), before);
  });

  it('warns when the tree is not current with the spec', () => {
    fs.rmSync(path.join(root, 'overlays', 'prod', 'prod-neu-1', 'cluster.yaml'));
    const r = capifleet(['promote', 'staging', 'prod', '--force'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'capifleet: warning: fleet.yaml: the tree is not current with the spec; --write would also write what capifleet generate --dry-run shows\n');
  });

  it('--write carries the bump into every prod cluster, keeps what prod and its clusters set, and leaves generate --check passing', () => {
    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^promote: wrote fleet\.yaml and regenerated the tree; 2 of 2 clusters of prod changed$/m);
    // comments and formatting kept byte for byte; only prod's defaults gained the two settings
    assert.equal(fs.readFileSync(path.join(root, 'fleet.yaml'), 'utf8'), PROMOTED);
    const check = capifleet(['generate', '--check'], root);
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const fleet = loadFleet(PROMOTED, 'fleet.yaml');
    const prod = fleet.clusters.filter((c) => c.environment === 'prod');
    assert.equal(prod.length, 2);
    for (const c of prod) {
      assert.equal(c.kubernetesVersion, 'v1.33.4', c.name);
      assert.equal(c.addons.find((a) => a.name === 'ingress-nginx')?.chart.version, '4.12.0', c.name);
      assert.equal(c.nodePools.find((p) => p.name === 'system')?.replicas, 5, c.name);
    }
    const values = (name: string): unknown => (fleet.clusters.find((c) => c.name === name)!.addons[0]!.values as { controller: unknown }).controller;
    assert.deepEqual(values('prod-weu-1'), { replicaCount: 5 });
    assert.deepEqual(values('prod-neu-1'), { replicaCount: 3 });
    assert.equal(fleet.clusters.find((c) => c.name === 'prod-neu-1')!.location, 'northeurope');
    assert.equal(fleet.clusters.find((c) => c.name === 'prod-weu-1')!.location, 'westeurope');
    // the generated tree says so too, in every prod cluster
    for (const cluster of ['prod-weu-1', 'prod-neu-1']) {
      assert.match(fs.readFileSync(path.join(root, 'overlays', 'prod', cluster, 'cluster.yaml'), 'utf8'), /version: v1\.33\.4/);
    }
    // a generated file edited by hand refuses the write (exit 1), writing nothing
    git(root, 'commit', '-qam', 'promote');
    const cluster = path.join(root, 'overlays', 'prod', 'prod-weu-1', 'cluster.yaml');
    fs.appendFileSync(cluster, '# edited\n');
    git(root, 'commit', '-qam', 'hand edit');
    const before = snapshot(root);
    const edited = capifleet(['promote', 'dev', 'prod', '--force', '--write'], root);
    assert.equal(edited.status, 1, edited.stderr);
    assert.match(edited.stdout, /^promote: refused to write: overlays\/prod\/prod-weu-1\/cluster\.yaml was edited by hand since generated/m);
    assert.deepEqual(snapshot(root), before);
    fs.writeFileSync(cluster, fs.readFileSync(cluster, 'utf8').replace('# edited\n', ''));
    // nothing left to carry
    git(root, 'commit', '-qam', 'promote');
    const again = capifleet(['promote', 'staging', 'prod'], root);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^promote: nothing to promote: prod already has what staging sets$/m);
    const json = capifleet(['promote', 'staging', 'prod', '-o', 'json'], root);
    assert.equal((JSON.parse(json.stdout) as { outcome: string }).outcome, 'nothing');
  });

  it('--only selects what is carried', () => {
    const r = capifleet(['promote', 'staging', 'prod', '--only', 'addons', '--write'], root);
    assert.equal(r.status, 0, r.stderr);
    const fleet = loadFleet(fs.readFileSync(path.join(root, 'fleet.yaml'), 'utf8'), 'fleet.yaml');
    const c = fleet.clusters.find((x) => x.name === 'prod-weu-1')!;
    assert.equal(c.kubernetesVersion, 'v1.32.6');
    assert.equal(c.addons[0]!.chart.version, '4.12.0');
  });

  it('markdown and json say the same', () => {
    const md = capifleet(['promote', 'staging', 'prod', '-o', 'markdown'], root);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^## capifleet promote `staging` → `prod`$/m);
    assert.match(md.stdout, /^\+ {8}kubernetesVersion: v1\.33\.4$/m);
    const json = capifleet(['promote', 'staging', 'prod', '-o', 'json'], root);
    assert.equal(json.status, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { outcome: string; edits: { file: string }[]; diff: { summary: { clustersChanged: number } }; validation: { summary?: unknown } };
    assert.equal(out.outcome, 'dry-run');
    assert.deepEqual(out.edits.map((e) => e.file), ['fleet.yaml']);
    assert.equal(out.diff.summary.clustersChanged, 2);
  });

  it('refuses a promotion against promotesFrom (exit 2) unless --force', () => {
    const before = snapshot(root);
    const r = capifleet(['promote', 'dev', 'prod', '--write'], root);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'capifleet: fleet.yaml: prod promotes from staging (promotesFrom), not from dev; use --force to promote dev into prod anyway\n');
    assert.deepEqual(snapshot(root), before);
    const forced = capifleet(['promote', 'dev', 'prod', '--force'], root);
    assert.equal(forced.status, 0, forced.stderr);
  });

  it("shows the dangers of what it carries (a Kubernetes version two minors ahead of prod's)", () => {
    const ahead = fleetRepository(FLEET.replace('    - name: dev\n', '    - name: dev\n      defaults: {kubernetesVersion: v1.34.1}\n'));
    const r = capifleet(['promote', 'dev', 'prod', '--force'], ahead);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ {2}error {3}prod-weu-1: .*\[capi\/version-jump\]$/m);
  });

  it("shows a pool's new VM size on a CAPZ cluster as a machine template swap (a new template), not as an immutable field changed", () => {
    const spec = FLEET.replace('        # staging runs ahead\n', '        # staging runs ahead\n        nodePools: [{name: system, vmSize: Standard_D8ds_v5}]\n').replace(
      '      location: northeurope\n',
      '      location: northeurope\n      provider: azure\n      controlPlane: {vmSize: Standard_D4ds_v5}\n',
    );
    const r = capifleet(['promote', 'staging', 'prod', '--only', 'pools', '-o', 'json'], fleetRepository(spec));
    assert.equal(r.status, 0, r.stderr);
    const dangers = (JSON.parse(r.stdout) as { diff: { dangers: { id: string; cluster?: string; message: string }[] } }).diff.dangers;
    const ids = (cluster: string): string[] => [...new Set(dangers.filter((d) => d.cluster === cluster).map((d) => d.id))].sort();
    assert.ok(ids('prod-neu-1').includes('capi/template-swap'), JSON.stringify(dangers));
    assert.ok(!ids('prod-neu-1').includes('capz/immutable-field'), JSON.stringify(dangers));
    assert.ok(ids('prod-weu-1').includes('capz/immutable-field'), 'an AKS agent pool cannot change its VM size in place');
  });

  it('refuses to write over uncommitted changes to what it would write (exit 2) unless --force; a dry run warns', () => {
    fs.appendFileSync(path.join(root, 'fleet.yaml'), '# a note\n');
    const before = snapshot(root);
    const dry = capifleet(['promote', 'staging', 'prod'], root);
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(dry.stderr, 'capifleet: warning: uncommitted changes in what promote would write (fleet.yaml); --write will refuse them unless --force\n');
    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^capifleet: uncommitted changes in what promote would write \(fleet\.yaml\); commit or stash them first, or use --force\n$/);
    assert.deepEqual(snapshot(root), before);
    const forced = capifleet(['promote', 'staging', 'prod', '--write', '--force'], root);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(fs.readFileSync(path.join(root, 'fleet.yaml'), 'utf8'), /# a note\n$/);
  });

  it('bad arguments are one line and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['promote', 'qa', 'prod'], /^capifleet: fleet\.yaml: unknown environment "qa"; the environments are dev, staging, prod\n$/],
      [['promote', 'prod', 'prod'], /^capifleet: fleet\.yaml: cannot promote prod into itself: name two environments\n$/],
      [['promote', 'staging', 'prod', '--only', 'kube'], /^capifleet: --only kube: unknown; with a fleet spec choose from kubernetes, addons, pools\n$/],
      [['promote', 'staging', 'prod', '--only', 'images'], /^capifleet: --only images: applies to a tree without a fleet spec; with a fleet spec choose from kubernetes, addons, pools\n$/],
    ];
    for (const [args, stderr] of cases) {
      const r = capifleet(args, root);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, stderr);
    }
  });
});

describe('capifleet promote (fleet spec, tree written without headers)', () => {
  it('overwrites files that hold what the spec generated before the promotion, so generate --check passes after', () => {
    const root = fleetRepository();
    // the tree as generate writes it, but without its headers (written by another tool, or by hand from the same spec)
    for (const file of listing(path.join(root, 'overlays'))) {
      const abs = path.join(root, 'overlays', file);
      if (fs.statSync(abs).isFile()) fs.writeFileSync(abs, fs.readFileSync(abs, 'utf8').replace(/^# Generated by capifleet[^\n]*\n/, ''));
    }
    git(root, 'commit', '-qam', 'no headers');
    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const check = capifleet(['generate', '--check'], root);
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});

describe('capifleet promote (fleet spec, no git)', () => {
  it('outside a git repository warns that it cannot tell and promotes', () => {
    const root = tempTree('promote-nogit', { 'fleet.yaml': FLEET });
    assert.equal(capifleet(['generate'], root).status, 0);
    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: \. is not in a git repository: cannot tell whether it holds uncommitted changes/);
    assert.equal(fs.readFileSync(path.join(root, 'fleet.yaml'), 'utf8'), PROMOTED);
  });
});

const BASE = {
  'base/kustomization.yaml': 'resources:\n- deployment.yaml\n- helmrelease.yaml\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ghcr.io/acme/web:1.0.0
`,
  'base/helmrelease.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: 6.7.0
      sourceRef:
        kind: HelmRepository
        name: podinfo
`,
};

function overlay(env: string, tag: string, chart: string): Record<string, string> {
  return {
    [`overlays/${env}/${env}-eu-1/kustomization.yaml`]: `# ${env} in Europe
resources:
- ../../../base
patches:
- path: podinfo.yaml
images:
- name: ghcr.io/acme/web
  newTag: ${tag}   # the release
- name: ghcr.io/acme/sidecar
  newTag: 0.1.0
`,
    [`overlays/${env}/${env}-eu-1/podinfo.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  chart:
    spec:
      version: "${chart}"  # pinned here
`,
  };
}

describe('capifleet promote (tree without a spec)', () => {
  it('carries image tags and chart versions into the paired overlay, keeping comments; a dry run writes nothing', () => {
    const root = repository('promote-tree', { ...BASE, ...overlay('staging', '1.3.0', '6.8.0'), ...overlay('prod', '1.2.0', '6.7.1') });
    const before = snapshot(root);
    const dry = capifleet(['promote', 'staging', 'prod'], root);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^-  newTag: 1\.2\.0   # the release$/m);
    assert.match(dry.stdout, /^\+  newTag: 1\.3\.0   # the release$/m);
    assert.match(dry.stdout, /^cluster prod-eu-1 \(changed\)$/m);
    assert.deepEqual(snapshot(root), before);

    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 0, r.stderr);
    const kustomization = path.join(root, 'overlays/prod/prod-eu-1/kustomization.yaml');
    assert.equal(fs.readFileSync(kustomization, 'utf8'), overlay('prod', '1.3.0', '6.7.1')['overlays/prod/prod-eu-1/kustomization.yaml']);
    const release = path.join(root, 'overlays/prod/prod-eu-1/podinfo.yaml');
    assert.equal(fs.readFileSync(release, 'utf8'), overlay('prod', '1.2.0', '6.8.0')['overlays/prod/prod-eu-1/podinfo.yaml']);
    const rendered = capifleet(['render', 'overlays/prod/prod-eu-1'], root);
    assert.match(rendered.stdout, /image: ghcr\.io\/acme\/web:1\.3\.0/);
    assert.match(rendered.stdout, /version: 6\.8\.0/);
  });

  it('refuses to write a tree that fails validation (exit 1), writing nothing', () => {
    const files: Record<string, string> = { ...BASE, ...overlay('staging', '1.3.0', '6.8.0'), ...overlay('prod', '1.2.0', '6.7.1') };
    files['overlays/prod/prod-eu-1/kustomization.yaml'] = files['overlays/prod/prod-eu-1/kustomization.yaml']!.replace('- ../../../base\n', '- ../../../base\n- broken.yaml\n');
    files['overlays/prod/prod-eu-1/broken.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata: 5\n';
    const root = repository('promote-invalid', files);
    const before = snapshot(root);
    const dry = capifleet(['promote', 'staging', 'prod'], root);
    assert.equal(dry.status, 1, dry.stderr);
    assert.match(dry.stdout, /^promote: dry run, nothing written; the promoted tree fails validation, so --write would refuse$/m);
    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /ConfigMap broken/);
    assert.match(r.stdout, /^promote: refused to write: the promoted tree fails validation; nothing written$/m);
    assert.deepEqual(snapshot(root), before);
  });

  it('a Component shared by the overlays of an environment pairs with its namesake, and every overlay using it changes', () => {
    const component = (tag: string): string => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n  - name: ghcr.io/acme/web\n    newTag: ${tag} # shared\n`;
    const uses = 'resources:\n- ../../../base\ncomponents:\n- ../_common\n';
    const root = repository('promote-component', {
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'base/deployment.yaml': BASE['base/deployment.yaml'],
      'overlays/staging/_common/kustomization.yaml': component('2.0.0'),
      'overlays/staging/staging-a/kustomization.yaml': uses,
      'overlays/prod/_common/kustomization.yaml': component('1.5.0'),
      'overlays/prod/prod-a/kustomization.yaml': uses,
      'overlays/prod/prod-b/kustomization.yaml': uses,
    });
    const r = capifleet(['promote', 'staging', 'prod', '--write'], root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^promote: wrote overlays\/prod\/_common\/kustomization\.yaml; 2 of 2 clusters of prod changed$/m);
    assert.equal(fs.readFileSync(path.join(root, 'overlays/prod/_common/kustomization.yaml'), 'utf8'), component('2.0.0'));
  });

  it('an unknown environment names the folders of overlays', () => {
    const root = repository('promote-tree-unknown', { ...BASE, ...overlay('staging', '1.3.0', '6.8.0'), ...overlay('prod', '1.2.0', '6.7.1') });
    const r = capifleet(['promote', 'staging', 'qa'], root);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'capifleet: unknown environment "qa": the environments are prod, staging (folders of overlays under overlays/)\n');
  });
});
