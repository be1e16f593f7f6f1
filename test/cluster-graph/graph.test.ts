import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildClusterGraph, clusterObjects, clusterReads, type Cluster, type ClusterGraph, type ClusterGraphOptions } from '../../src/cluster-graph/graph.js';
import { FileCache } from '../../src/engine/loader.js';
import { mayDeclareEntry } from '../../src/cluster-graph/entry-points.js';
import { prebuildOnThreads } from '../../src/cluster-graph/threaded-builds.js';
import { tempTree } from '../support/files.js';

// ---- small builders for the YAML of the trees ----

function fluxKs(name: string, spec: string, namespace = 'flux-system'): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  interval: 10m
  prune: true
${indent(spec, 2)}
`;
}

function gitRepo(name: string, url: string, namespace = 'flux-system'): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: main
`;
}

function configMap(name: string, data: Record<string, string>, namespace?: string, extraMeta = ''): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}${extraMeta}data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
  .join('\n')}
`;
}

const SOURCE = 'sourceRef:\n  kind: GitRepository\n  name: flux-system';

/** `clusters/<name>/flux-system/` as `flux bootstrap` writes it. */
function bootstrap(cluster: string, url = 'https://github.com/example/fleet'): Record<string, string> {
  return {
    [`clusters/${cluster}/flux-system/kustomization.yaml`]: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n',
    [`clusters/${cluster}/flux-system/gotk-components.yaml`]: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
    [`clusters/${cluster}/flux-system/gotk-sync.yaml`]: `${gitRepo('flux-system', url)}---\n${fluxKs('flux-system', `path: ./clusters/${cluster}\n${SOURCE}`)}`,
  };
}

function indent(s: string, n: number): string {
  return s
    .trimEnd()
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

// ---- what the tests compare ----

function cluster(graph: ClusterGraph, name: string): Cluster {
  const c = graph.clusters.find((x) => x.name === name);
  assert.ok(c, `cluster ${name} in ${graph.clusters.map((x) => x.name).join(', ')}`);
  return c;
}

/** `Kind namespace/name` of every object a cluster receives, sorted. */
function objectIds(c: Cluster): string[] {
  return clusterObjects(c)
    .map(({ resource: r }) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`)
    .sort();
}

function object(c: Cluster, kind: string, name: string) {
  const found = clusterObjects(c).find(({ resource: r }) => r.kind === kind && r.name === name);
  assert.ok(found, `${kind} ${name} in cluster ${c.name}`);
  return found;
}

function problems(graph: ClusterGraph): string[] {
  return graph.clusters.flatMap((c) => c.builds.flatMap((b) => b.problems.map((p) => `${c.name} ${b.path}: ${p.kind}: ${p.message}${p.file ? ` @${path.relative(graph.root, p.file)}:${p.line}` : ''}`)));
}

function graphOf(files: Record<string, string>, options: ClusterGraphOptions = {}): ClusterGraph {
  return buildClusterGraph(tempTree('graph', files), options);
}

// ---- the trees ----

/** The shape of flux2-kustomize-helm-example: two clusters, infrastructure and apps Kustomizations with dependsOn. */
function kustomizeHelmExample(): Record<string, string> {
  const perCluster = (c: string): Record<string, string> => ({
    ...bootstrap(c),
    [`clusters/${c}/infrastructure.yaml`]: `${fluxKs('infra-controllers', `${SOURCE}\npath: ./infrastructure/controllers`)}---\n${fluxKs('infra-configs', `dependsOn:\n- name: infra-controllers\n${SOURCE}\npath: ./infrastructure/configs`)}`,
    [`clusters/${c}/apps.yaml`]: fluxKs('apps', `dependsOn:\n- name: infra-configs\n${SOURCE}\npath: ./apps/${c}`),
    [`apps/${c}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base/podinfo\npatches:\n- path: podinfo-values.yaml\n  target:\n    kind: HelmRelease\n`,
    [`apps/${c}/podinfo-values.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  values:\n    host: podinfo.${c}\n`,
  });
  return {
    ...perCluster('staging'),
    ...perCluster('production'),
    'infrastructure/controllers/kustomization.yaml': 'resources:\n- ingress-nginx.yaml\n',
    'infrastructure/controllers/ingress-nginx.yaml':
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: ingress-nginx\n  namespace: ingress-nginx\nspec:\n  url: https://kubernetes.github.io/ingress-nginx\n',
    'infrastructure/configs/cluster-issuers.yaml': 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\nspec:\n  acme: {}\n',
    'apps/base/podinfo/kustomization.yaml': 'resources:\n- namespace.yaml\n- release.yaml\nnamespace: podinfo\n',
    'apps/base/podinfo/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n',
    'apps/base/podinfo/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n  values:\n    host: example\n',
    'scripts/validate.sh': '#!/bin/sh\n',
  };
}

describe('cluster graph: entry points', () => {
  it('finds one cluster per flux-system Kustomization, built with the whole entry path', () => {
    const graph = graphOf(kustomizeHelmExample());
    assert.deepEqual(graph.clusters.map((c) => c.name).sort(), ['production', 'staging']);
    assert.deepEqual(
      graph.entryPoints.map((e) => `${e.path} ${e.via}`),
      ['clusters/production flux-system Kustomization', 'clusters/staging flux-system Kustomization'],
    );
    assert.deepEqual(problems(graph), []);
    const staging = cluster(graph, 'staging');
    assert.deepEqual(objectIds(staging), [
      'ClusterIssuer letsencrypt',
      'GitRepository flux-system/flux-system',
      'HelmRelease podinfo/podinfo',
      'HelmRepository ingress-nginx/ingress-nginx',
      'Kustomization flux-system/apps',
      'Kustomization flux-system/flux-system',
      'Kustomization flux-system/infra-configs',
      'Kustomization flux-system/infra-controllers',
      'Namespace flux-system',
      'Namespace ingress-nginx',
      'Namespace podinfo',
    ]);
    // in the order met: the entry path's objects come out of kustomize sorted by kind and name
    assert.deepEqual(staging.builds.map((b) => b.path), ['clusters/staging', 'apps/staging', 'infrastructure/configs', 'infrastructure/controllers']);
  });

  it('keeps each object provenance: entry point, Flux Kustomizations, file and line', () => {
    const graph = graphOf(kustomizeHelmExample());
    const { resource, build } = object(cluster(graph, 'production'), 'HelmRelease', 'podinfo');
    assert.deepEqual(resource.obj.spec, { chart: { spec: { chart: 'podinfo' } }, values: { host: 'podinfo.production' } });
    assert.equal(path.relative(graph.root, resource.state.source!.file), 'apps/base/podinfo/release.yaml');
    assert.equal(resource.state.source!.line, 1);
    assert.deepEqual([...build.chain, build.kustomization].map((k) => `${k.cluster}:${k.namespace}/${k.name}`), ['production:flux-system/flux-system', 'production:flux-system/apps']);
    assert.equal(path.relative(graph.root, build.kustomization.declaredAt!.file), 'clusters/production/apps.yaml');
    const entry = cluster(graph, 'production').reachedBy;
    assert.ok('entryPoint' in entry && entry.entryPoint.declaredAt?.file.endsWith('clusters/production/flux-system/gotk-sync.yaml'));
  });

  it('takes the folder above flux-system/gotk-sync.yaml as an entry point, even when bootstrap has not filled it in', () => {
    const graph = graphOf({
      'hub/flux-system/kustomization.yaml': 'resources: [gotk-components.yaml, gotk-sync.yaml]\n',
      'hub/flux-system/gotk-components.yaml': '# flux bootstrap writes this file\n',
      'hub/flux-system/gotk-sync.yaml': '# flux bootstrap writes this file\n',
      'hub/apps.yaml': fluxKs('apps', `${SOURCE}\npath: ./clusters/staging/apps`),
      'clusters/staging/apps/cm.yaml': configMap('app', { a: 'b' }, 'default'),
    });
    assert.deepEqual(graph.entryPoints.map((e) => `${e.path} ${e.via}`), ['hub flux bootstrap folder']);
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(objectIds(cluster(graph, 'hub')), ['ConfigMap default/app', 'Kustomization flux-system/apps']);
  });

  it('takes clusters/<name>/ folders as entry points when nothing declares a bootstrap', () => {
    const graph = graphOf({
      'clusters/dev/app.yaml': configMap('settings', { a: 'b' }, 'default'),
      'clusters/dev/more/kustomization.yaml': 'resources: [cm.yaml]\n',
      'clusters/dev/more/cm.yaml': configMap('more', { c: 'd' }, 'default'),
    });
    assert.deepEqual(graph.entryPoints.map((e) => `${e.cluster} ${e.via}`), ['dev clusters folder']);
    assert.deepEqual(objectIds(cluster(graph, 'dev')), ['ConfigMap default/more', 'ConfigMap default/settings']);
  });

  it('starts from the management entry point that generate writes', () => {
    const graph = graphOf({
      'overlays/_management/kustomization.yaml': 'resources: [clusters.yaml]\n',
      'overlays/_management/clusters.yaml': fluxKs('prod-eu-1', `${SOURCE}\npath: ./overlays/prod/eu-1\npostBuild:\n  substitute:\n    CLUSTER: eu-1`),
      'overlays/prod/eu-1/kustomization.yaml': 'resources: [cluster.yaml]\n',
      'overlays/prod/eu-1/cluster.yaml': 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: ${CLUSTER}\n  namespace: default\n',
    });
    assert.deepEqual(graph.entryPoints.map((e) => `${e.cluster} ${e.via} ${e.path}`), ['management management overlays/_management']);
    assert.deepEqual(objectIds(cluster(graph, 'management')), ['Cluster default/eu-1', 'Kustomization flux-system/prod-eu-1']);
  });

  it('uses only the entry points given, when given', () => {
    const files = { ...kustomizeHelmExample(), 'elsewhere/cm.yaml': configMap('x', { a: 'b' }, 'default') };
    const graph = graphOf(files, { entryPoints: [{ path: 'elsewhere', cluster: 'mine' }] });
    assert.deepEqual(graph.clusters.map((c) => c.name), ['mine']);
    assert.deepEqual(objectIds(graph.clusters[0]!), ['ConfigMap default/x']);
  });

  it('finds the sync path of a FluxInstance (d2 fleet) and substitutes from its runtime ConfigMap', () => {
    const graph = graphOf({
      'clusters/staging/flux-system/kustomization.yaml': 'resources: [flux-instance.yaml, runtime-info.yaml]\n',
      'clusters/staging/flux-system/flux-instance.yaml':
        'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  distribution:\n    version: "2.x"\n  sync:\n    kind: OCIRepository\n    url: oci://ghcr.io/example/fleet\n    ref: latest\n    path: "clusters/staging"\n',
      'clusters/staging/flux-system/runtime-info.yaml': configMap('flux-runtime-info', { ENVIRONMENT: 'staging', CLUSTER_NAME: 'staging-1' }, 'flux-system'),
      'clusters/staging/tenants.yaml': fluxKs('tenants', 'path: ./tenants\nsourceRef:\n  kind: OCIRepository\n  name: flux-system\npostBuild:\n  substituteFrom:\n  - kind: ConfigMap\n    name: flux-runtime-info'),
      'tenants/apps.yaml': configMap('apps-settings', { env: '${ENVIRONMENT}', cluster: '${CLUSTER_NAME}', tag: '${ARTIFACT_TAG:=latest}' }, 'flux-system'),
    });
    assert.deepEqual(graph.entryPoints.map((e) => `${e.cluster} ${e.via}`), ['staging FluxInstance']);
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(object(cluster(graph, 'staging'), 'ConfigMap', 'apps-settings').resource.obj.data, { env: 'staging', cluster: 'staging-1', tag: 'latest' });
  });

  it('names the bootstrap source and Kustomization after a FluxInstance sync.name, else its namespace', () => {
    const instance = (namespace: string, name: string): string =>
      `apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: ${namespace}\nspec:\n  sync:\n    kind: GitRepository\n    url: https://github.com/example/fleet\n    ref: refs/heads/main\n    path: clusters/${name || namespace}\n${name ? `    name: ${name}\n` : ''}`;
    const uses = (source: string, p: string): string => fluxKs('app', `sourceRef:\n  kind: GitRepository\n  name: ${source}\npath: ${p}`, 'flux-system');
    const graph = graphOf({
      'clusters/named/flux/instance.yaml': instance('flux-system', 'named'),
      'clusters/named/app.yaml': uses('named', './apps'),
      'clusters/ops/flux/instance.yaml': instance('ops', ''),
      'clusters/ops/app.yaml': uses('flux-system', './apps'),
      'apps/cm.yaml': configMap('app', { a: 'b' }, 'default'),
    });
    assert.deepEqual(graph.entryPoints.map((e) => `${e.cluster} ${e.bootstrap.namespace}/${e.bootstrap.name}`), ['named flux-system/named', 'ops ops/ops']);
    assert.ok(objectIds(cluster(graph, 'named')).includes('ConfigMap default/app'));
    assert.deepEqual(graph.unfollowed.map((u) => `${u.kustomization.cluster} ${u.reason}`), ['ops GitRepository flux-system/flux-system is not among the objects of the cluster']);
  });

  it('finds a FluxInstance held in the values of the flux-instance chart (home-ops)', () => {
    const graph = graphOf({
      'kubernetes/apps/flux-system/flux-instance/helmrelease.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux-instance\nspec:\n  values:\n    instance:\n      sync:\n        kind: GitRepository\n        url: https://github.com/example/home\n        path: kubernetes/flux/cluster\n',
      'kubernetes/flux/cluster/ks.yaml': fluxKs('cluster-apps', `${SOURCE}\n  namespace: flux-system\npath: ./kubernetes/apps`),
    });
    assert.deepEqual(graph.entryPoints.map((e) => `${e.path} ${e.via}`), ['kubernetes/flux/cluster flux-instance HelmRelease']);
    const c = cluster(graph, 'kubernetes/flux/cluster');
    assert.deepEqual(c.builds.map((b) => b.path), ['kubernetes/flux/cluster', 'kubernetes/apps']);
    assert.ok(objectIds(c).includes('HelmRelease flux-instance'));
  });

  it('judges by bytes alone which files may declare an entry point: each form, in any text around it, and none without one', () => {
    const may = (text: string) => mayDeclareEntry(Buffer.from(text));
    assert.equal(may('# ünïcode ✓\nkind: FluxInstance\n'), true);
    assert.equal(may('metadata:\n  name: "flux-system"\nspec:\n  path: ./clusters/a\n'), true);
    assert.equal(may('values:\n  instance:\n    sync:\n      path: x\n'), true);
    assert.equal(may('metadata:\n  name: flux-system\n'), false, 'no path after the name');
    assert.equal(may('kind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps\n  sourceRef:\n    name: fleet\n'), false);
    assert.equal(mayDeclareEntry(Buffer.from('kind: FluxInstance\n', 'utf16le')), false, 'UTF-16 text is not read as YAML here');
  });
});

describe('cluster graph: paths built as kustomize-controller builds them', () => {
  it('follows nested Flux Kustomizations, with the chain of each build', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/a.yaml': fluxKs('a', `${SOURCE}\npath: ./a`),
      'a/kustomization.yaml': 'resources: [b.yaml]\n',
      'a/b.yaml': fluxKs('b', `${SOURCE}\npath: ./a/b`),
      'a/b/kustomization.yaml': 'resources: [c.yaml]\n',
      'a/b/c.yaml': fluxKs('c', `${SOURCE}\npath: ./a/b/c`),
      'a/b/c/cm.yaml': configMap('deep', { x: 'y' }, 'default'),
    });
    const { build } = object(cluster(graph, 'one'), 'ConfigMap', 'deep');
    assert.deepEqual([...build.chain, build.kustomization].map((k) => k.name), ['flux-system', 'a', 'b', 'c']);
    assert.deepEqual(
      cluster(graph, 'one').builds.map((b) => `${b.path}: ${b.resources.length}`),
      ['clusters/one: 4', 'a: 1', 'a/b: 1', 'a/b/c: 1'],
    );
  });

  it('generates the kustomization Flux generates for a folder without one', () => {
    const graph = graphOf(
      {
        'apps/one.yaml': configMap('one', { a: 'b' }, 'default'),
        'apps/README.md': '# not a manifest\n',
        'apps/.github/workflow.yaml': 'on: push\n',
        'apps/.sops.yaml': 'creation_rules: []\n',
        'apps/sub/two.yml': configMap('two', { a: 'b' }, 'default'),
        'apps/unit/kustomization.yaml': 'resources: [three.yaml]\nnamePrefix: unit-\n',
        'apps/unit/three.yaml': configMap('three', { a: 'b' }, 'default'),
        'apps/unit/ignored.yaml': configMap('not-listed', { a: 'b' }, 'default'),
      },
      { entryPoints: [{ path: 'apps' }] },
    );
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(objectIds(cluster(graph, 'apps')), ['ConfigMap default/one', 'ConfigMap default/two', 'ConfigMap default/unit-three']);
  });

  it('applies the Flux Kustomization spec: targetNamespace, namePrefix, nameSuffix, patches, images, components, commonMetadata', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/app.yaml': fluxKs(
        'app',
        `${SOURCE}
path: ./app
targetNamespace: team
namePrefix: p-
nameSuffix: -s
components: [../component, ../missing]
ignoreMissingComponents: true
commonMetadata:
  labels:
    owner: team
images:
- name: nginx
  newTag: "1.27"
patches:
- target:
    kind: Deployment
  patch: |
    - op: replace
      path: /spec/replicas
      value: 3`,
      ),
      'app/kustomization.yaml': 'resources: [deploy.yaml]\nimages:\n- name: nginx\n  newName: mirror/nginx\n  newTag: "1.25"\n',
      'app/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.0\n',
      'component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  from: component\n',
    });
    assert.deepEqual(problems(graph), []);
    const { resource } = object(cluster(graph, 'one'), 'Deployment', 'p-web-s');
    assert.equal(resource.namespace, 'team');
    assert.deepEqual(resource.labels(), { owner: 'team' });
    assert.deepEqual(resource.annotations(), { from: 'component' });
    assert.equal((resource.obj.spec as { replicas: number }).replicas, 3);
    assert.match(JSON.stringify(resource.obj), /"image":"mirror\/nginx:1.27"/);
  });

  it('drops kustomization fields kustomize does not know, as Flux re-reads the file', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/app.yaml': fluxKs('app', `${SOURCE}\npath: ./app`),
      'app/kustomization.yaml': 'resources: [cm.yaml]\nnotAField: 1\n',
      'app/cm.yaml': configMap('cm', { a: 'b' }, 'default'),
    });
    assert.deepEqual(problems(graph), []);
    object(cluster(graph, 'one'), 'ConfigMap', 'cm');
  });

  it('builds an empty kustomization file as Flux decodes it: an empty kustomization', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/app.yaml': fluxKs('app', `${SOURCE}\npath: ./app`),
      'app/kustomization.yaml': '# nothing yet\n',
    });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(cluster(graph, 'one').builds.find((b) => b.path === 'app')!.resources, []);
  });

  it('builds without load restrictions (files above the kustomization)', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/app.yaml': fluxKs('app', `${SOURCE}\npath: ./app/overlay`),
      'app/overlay/kustomization.yaml': 'resources: [../shared/cm.yaml]\n',
      'app/shared/cm.yaml': configMap('shared', { a: 'b' }, 'default'),
    });
    assert.deepEqual(problems(graph), []);
    object(cluster(graph, 'one'), 'ConfigMap', 'shared');
  });

  it('makes a build failure a result of that build; the rest of the graph is still built', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/apps.yaml': `${fluxKs('broken', `${SOURCE}\npath: ./broken`)}---\n${fluxKs('missing', `${SOURCE}\npath: ./nowhere`)}---\n${fluxKs('fine', `${SOURCE}\npath: ./fine`)}`,
      'broken/kustomization.yaml': 'resources: [absent.yaml]\n',
      'fine/cm.yaml': configMap('fine', { a: 'b' }, 'default'),
    });
    const found = problems(graph);
    assert.equal(found.length, 2);
    assert.match(found[0]!, /^one broken: build: .*absent\.yaml.* @broken\/kustomization\.yaml:1$/);
    assert.match(found[1]!, /^one nowhere: path: kustomization path not found: .* @clusters\/one\/apps\.yaml:\d+$/);
    object(cluster(graph, 'one'), 'ConfigMap', 'fine');
  });

  it('refuses an object without apiVersion, as kustomize-controller does after kustomize', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/app.yaml': fluxKs('app', `${SOURCE}\npath: ./app`),
      'app/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: no-version\n',
    });
    assert.deepEqual(problems(graph), ['one app: build: failed to decode Kubernetes apiVersion, kind and name @app/cm.yaml:1']);
  });

  it('keeps HelmReleases as objects', () => {
    const graph = graphOf(kustomizeHelmExample());
    const { resource } = object(cluster(graph, 'staging'), 'HelmRelease', 'podinfo');
    assert.equal(resource.apiVersion, 'helm.toolkit.fluxcd.io/v2');
  });
});

describe('cluster graph: post-build substitution', () => {
  /** One cluster whose `app` Kustomization has `postBuild` and builds `app/`. */
  function substituted(postBuild: string, appFiles: Record<string, string>, clusterFiles: Record<string, string> = {}, options: ClusterGraphOptions = {}): ClusterGraph {
    const app = Object.fromEntries(Object.entries(appFiles).map(([k, v]) => [`app/${k}`, v]));
    return graphOf({ ...bootstrap('one'), 'clusters/one/app.yaml': fluxKs('app', `${SOURCE}\npath: ./app\n${postBuild}`), ...clusterFiles, ...app }, options);
  }
  const cm = (data: Record<string, string>, extraMeta = ''): Record<string, string> => ({ 'cm.yaml': configMap('cm', data, 'default', extraMeta) });
  const dataOf = (graph: ClusterGraph): unknown => object(cluster(graph, 'one'), 'ConfigMap', 'cm').resource.obj.data;

  it('substitutes inline variables, newlines stripped, and re-reads the YAML', () => {
    const graph = substituted('postBuild:\n  substitute:\n    NAME: web\n    MULTI: "a\\nb"\n', {
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\ndata:\n  name: ${NAME}\n  multi: ${MULTI}\n  escaped: $${NAME}\n  shell: $HOME\n',
    });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(dataOf(graph), { name: 'web', multi: 'ab', escaped: '${NAME}', shell: '$HOME' });
  });

  it('reports a variable unset in strict mode at the file and line that uses it', () => {
    const graph = substituted('postBuild:\n  substitute:\n    NAME: web\n', cm({ name: '${NAME}', missing: 'x-${MISSING}' }));
    const p = graph.clusters[0]!.builds.find((b) => b.path === 'app')!.problems;
    assert.equal(p.length, 1);
    assert.equal(p[0]!.variable, 'MISSING');
    assert.equal(path.relative(graph.root, p[0]!.file!), 'app/cm.yaml');
    assert.equal(p[0]!.line, 8);
    assert.match(p[0]!.message, /variable not set \(strict mode\): "MISSING"/);
    assert.deepEqual(dataOf(graph), { name: 'web', missing: 'x-${MISSING}' });
  });

  it('substitutes unset variables with the empty string when strict mode is off', () => {
    const graph = substituted('postBuild:\n  substitute:\n    NAME: web\n', cm({ missing: 'x-${MISSING}' }), {}, { strictSubstitution: false });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(dataOf(graph), { missing: 'x-' });
  });

  it('does not substitute without variables unless substituteStrategy is Always', () => {
    const none = substituted('postBuild:\n  substituteFrom:\n  - kind: ConfigMap\n    name: absent\n    optional: true\n', cm({ v: '${A:=1}', w: '${B}' }));
    assert.deepEqual(problems(none), []);
    assert.deepEqual(dataOf(none), { v: '${A:=1}', w: '${B}' });
    const always = substituted('postBuild:\n  substituteStrategy: Always\n', cm({ v: '${A:=1}' }));
    assert.deepEqual(problems(always), []);
    // Flux substitutes in the YAML text and reads it back: the default is a number now, as in the cluster
    assert.deepEqual(dataOf(always), { v: 1 });
  });

  it('reads substituteFrom ConfigMaps and Secrets of the cluster, inline substitute winning', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: flux-system\ndata:\n  TOKEN: c2VjcmV0\nstringData:\n  USER: admin\n';
    const graph = substituted(
      'postBuild:\n  substitute:\n    REGION: inline\n  substituteFrom:\n  - kind: ConfigMap\n    name: settings\n  - kind: Secret\n    name: creds\n',
      cm({ region: '${REGION}', size: '${SIZE}', token: '${TOKEN}', user: '${USER}' }),
      { 'clusters/one/settings.yaml': `${configMap('settings', { REGION: 'from-configmap', SIZE: 'large' }, 'flux-system')}---\n${secret}` },
    );
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(dataOf(graph), { region: 'inline', size: 'large', token: 'secret', user: 'admin' });
  });

  it('takes the keys of a SOPS-encrypted Secret as set, with values it cannot know', () => {
    const sops = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: flux-system\nstringData:\n  TOKEN: ENC[AES256_GCM,data:abc=,type:str]\nsops:\n  version: 3.9.0\n';
    const graph = substituted('postBuild:\n  substituteFrom:\n  - kind: Secret\n    name: creds\n', cm({ token: '${TOKEN}', other: '${OTHER}' }), { 'clusters/one/creds.yaml': sops });
    assert.deepEqual(
      problems(graph).map((p) => p.replace(/^.*: variable/, 'variable').replace(/ @.*/, '')),
      ['variable not set (strict mode): "OTHER"'],
    );
    assert.deepEqual(dataOf(graph), { token: '${TOKEN}', other: '${OTHER}' });
  });

  it('finds substituteFrom objects that a later build of the cluster applies', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/a-app.yaml': fluxKs('app', `${SOURCE}\npath: ./app\npostBuild:\n  substituteFrom:\n  - kind: ConfigMap\n    name: settings`),
      'clusters/one/z-settings.yaml': fluxKs('settings', `${SOURCE}\npath: ./settings`),
      'settings/cm.yaml': configMap('settings', { SIZE: 'large' }, 'flux-system'),
      'app/cm.yaml': configMap('cm', { size: '${SIZE}' }, 'default'),
    });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(dataOf(graph), { size: 'large' });
  });

  it('reports a substituteFrom object the repository does not give, and then calls no variable unset', () => {
    const graph = substituted('postBuild:\n  substitute:\n    B: b\n  substituteFrom:\n  - kind: ConfigMap\n    name: absent\n', cm({ v: '${A}', w: '${B}' }));
    assert.deepEqual(
      problems(graph).map((p) => p.replace(/ @.*/, '')),
      [`one app: substitution-source: substitute from 'ConfigMap/absent' error: configmap "absent" not found`],
    );
    assert.deepEqual(dataOf(graph), { v: '${A}', w: 'b' });
  });

  it('leaves objects labelled or annotated kustomize.toolkit.fluxcd.io/substitute: disabled alone', () => {
    const graph = substituted(
      'postBuild:\n  substitute:\n    A: a\n',
      cm({ v: '${A}', script: 'echo ${ B }' }, '  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n'),
    );
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(dataOf(graph), { v: '${A}', script: 'echo ${ B }' });
  });

  it('fails on clusterctl-style ${ VAR } with spaces, which Flux cannot parse', () => {
    const graph = substituted('postBuild:\n  substitute:\n    VAR: v\n', cm({ v: '${ VAR }' }));
    assert.deepEqual(
      problems(graph).map((p) => p.replace(/^.*: envsubst error/, 'envsubst error')),
      ['envsubst error: variable substitution failed: unable to parse variable name @app/cm.yaml:7'],
    );
  });

  it('refuses variable names Flux refuses', () => {
    const graph = substituted('postBuild:\n  substitute:\n    bad-name: v\n', cm({ v: 'x' }));
    assert.match(problems(graph).join('\n'), /'bad-name' var name is invalid/);
  });

  it('substitutes into the Flux Kustomizations it applies, whose paths then follow (one Kustomization per cluster)', () => {
    const graph = graphOf({
      ...bootstrap('mgmt'),
      'clusters/mgmt/fleet.yaml': fluxKs('fleet', `${SOURCE}\npath: ./fleet\npostBuild:\n  substitute:\n    ENV: prod`),
      'fleet/eu-1.yaml': fluxKs('eu-1', `${SOURCE}\npath: ./overlays/\${ENV}/eu-1\npostBuild:\n  substitute:\n    CLUSTER: eu-1\n    ENV: \${ENV}`),
      'overlays/prod/eu-1/cluster.yaml': 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: ${CLUSTER}\n  namespace: ${ENV}\n',
    });
    assert.deepEqual(problems(graph), []);
    const { build } = object(cluster(graph, 'mgmt'), 'Cluster', 'eu-1');
    assert.equal(build.path, 'overlays/prod/eu-1');
    assert.equal(build.resources[0]!.namespace, 'prod');
  });

  it('reads substituted values back as YAML: defaults become numbers', () => {
    const graph = substituted(
      'postBuild:\n  substitute:\n    UNUSED: x\n',
      { 'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: ${REPLICAS:=3}\n' },
    );
    assert.equal((object(cluster(graph, 'one'), 'Deployment', 'web').resource.obj.spec as { replicas: unknown }).replicas, 3);
  });
});

describe('cluster graph: sources and other clusters', () => {
  it('lists sources that are not this repository as not followed, never as problems', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/other.yaml': `${gitRepo('podinfo', 'https://github.com/stefanprodan/podinfo')}---\n${fluxKs('podinfo', 'sourceRef:\n  kind: GitRepository\n  name: podinfo\npath: ./kustomize')}---\n${fluxKs('ghost', 'sourceRef:\n  kind: OCIRepository\n  name: ghost\npath: ./x')}`,
    });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(
      graph.unfollowed.map((u) => `${u.kustomization.cluster} ${u.kustomization.name}: ${u.reason}`),
      ['one podinfo: GitRepository flux-system/podinfo (https://github.com/stefanprodan/podinfo) is not this repository', 'one ghost: OCIRepository flux-system/ghost is not among the objects of the cluster'],
    );
  });

  it('follows a source whose URL is this repository, or one mapped to a folder', () => {
    const files = {
      ...bootstrap('one'),
      'clusters/one/sources.yaml': `${gitRepo('same', 'git@github.com:Example/Fleet.git')}---\n${fluxKs('same', 'sourceRef:\n  kind: GitRepository\n  name: same\npath: ./a')}---\n${fluxKs('mapped', 'sourceRef:\n  kind: OCIRepository\n  name: artifact\npath: ./b')}`,
      'a/cm.yaml': configMap('from-a', { x: 'y' }, 'default'),
      'vendor/artifact/b/cm.yaml': configMap('from-b', { x: 'y' }, 'default'),
    };
    const graph = graphOf(files, { repositoryUrls: ['https://github.com/example/fleet'], sources: { 'flux-system/artifact': 'vendor/artifact' } });
    assert.deepEqual(graph.unfollowed, []);
    const ids = objectIds(cluster(graph, 'one'));
    assert.ok(ids.includes('ConfigMap default/from-a') && ids.includes('ConfigMap default/from-b'));
    const unmapped = graphOf(files);
    assert.deepEqual(unmapped.unfollowed.map((u) => u.kustomization.name), ['same', 'mapped']);
  });

  it('follows an ExternalArtifact that an ArtifactGenerator composes from this repository', () => {
    const generator = `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: flux-system
  namespace: flux-system
spec:
  sources:
  - alias: repo
    kind: GitRepository
    name: flux-system
  - alias: elsewhere
    kind: GitRepository
    name: other
  artifacts:
  - name: apps
    copy:
    - from: "@repo/apps/base/**"
      to: "@artifact/base/"
    - from: "@repo/apps/staging/**"
      to: "@artifact/staging/"
  - name: theirs
    copy:
    - from: "@elsewhere/**"
      to: "@artifact/"
`;
    const artifactKs = (name: string, artifact: string, p: string): string => fluxKs(name, `sourceRef:\n  kind: ExternalArtifact\n  name: ${artifact}\npath: ${p}`);
    const graph = graphOf({
      ...bootstrap('staging'),
      'clusters/staging/artifacts.yaml': `${generator}---\n${gitRepo('other', 'https://github.com/example/other')}`,
      'clusters/staging/apps.yaml': `${artifactKs('apps', 'apps', './staging')}---\n${artifactKs('theirs', 'theirs', './')}---\n${artifactKs('ghost', 'ghost', './')}`,
      'apps/staging/kustomization.yaml': 'resources: [../base/app]\nnamespace: staging\n',
      'apps/base/app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/base/app/cm.yaml': configMap('app', { a: 'b' }),
    });
    assert.deepEqual(problems(graph), []);
    const { build } = object(cluster(graph, 'staging'), 'ConfigMap', 'app');
    assert.equal(build.path, 'apps/staging');
    assert.deepEqual(
      graph.unfollowed.map((u) => `${u.kustomization.name}: ${u.reason}`),
      // ready ones first: ghost waits for a source that never comes
      ['theirs: GitRepository flux-system/other (https://github.com/example/other) is not this repository', 'ghost: ExternalArtifact flux-system/ghost is not among the objects of the cluster'],
    );
  });

  it('an OCI artifact of a sub-folder: the entry point a flux-instance values file declares, and paths, are relative to that folder', () => {
    // the shape of a Flux Operator repository that pushes kubernetes/ as its OCI artifact
    const values = 'instance:\n  sync:\n    kind: OCIRepository\n    url: oci://ghcr.io/example/manifests\n    ref: main\n    path: ./clusters/one\n';
    const generator = `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: apps
  namespace: flux-system
spec:
  sources:
  - alias: repo
    kind: OCIRepository
    name: flux-system
  artifacts:
  - name: web
    copy:
    - from: "@repo/apps/web/"
      to: "@artifact/apps/web/"
`;
    const graph = graphOf({
      'kubernetes/clusters/one/flux-system/instance/kustomization.yaml': 'configMapGenerator:\n- name: flux-instance-values\n  files: [values.yaml]\n',
      'kubernetes/clusters/one/flux-system/instance/values.yaml': values,
      'kubernetes/clusters/one/apps.yaml': `${generator}---\n${fluxKs('web', 'sourceRef:\n  kind: ExternalArtifact\n  name: web\npath: ./apps/web')}---\n${fluxKs('shared', 'sourceRef:\n  kind: OCIRepository\n  name: flux-system\npath: ./apps/shared')}`,
      'kubernetes/apps/web/cm.yaml': configMap('web', { a: 'b' }, 'default'),
      'kubernetes/apps/shared/cm.yaml': configMap('shared', { a: 'b' }, 'default'),
    });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(graph.entryPoints.map((e) => `${e.path} ${e.via} ${e.sourceRoot}`), ['kubernetes/clusters/one flux-instance values kubernetes']);
    assert.deepEqual(graph.unfollowed, []);
    assert.deepEqual(objectIds(cluster(graph, 'one')).filter((id) => id.startsWith('ConfigMap default/')), ['ConfigMap default/shared', 'ConfigMap default/web']);
    assert.equal(object(cluster(graph, 'one'), 'ConfigMap', 'web').build.path, 'kubernetes/apps/web');
  });

  it('puts what a kubeConfig Kustomization builds into another cluster (hub and spoke)', () => {
    const spoke = (ns: string, secret: string): string =>
      `${fluxKs('apps', `${SOURCE}\n  namespace: flux-system\npath: ./deploy/apps\ntargetNamespace: ${ns}\nkubeConfig:\n  secretRef:\n    name: ${secret}\npostBuild:\n  substitute:\n    CLUSTER_NAME: ${ns}`, ns)}`;
    const graph = graphOf({
      'hub/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
      'hub/flux-system/gotk-sync.yaml': `${gitRepo('flux-system', 'https://github.com/example/hub')}---\n${fluxKs('flux-system', `path: ./hub\n${SOURCE}`)}`,
      'hub/staging.yaml': spoke('staging', 'cluster-kubeconfig'),
      'hub/production.yaml': spoke('production', 'cluster-kubeconfig'),
      'hub/capi.yaml': `apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: edge-1\n  namespace: edge\n---\n${spoke('edge', 'edge-1-kubeconfig')}`,
      'deploy/apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  cluster: ${CLUSTER_NAME}\n',
    });
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(graph.clusters.map((c) => c.name), ['hub', 'edge-1', 'production/cluster-kubeconfig', 'staging/cluster-kubeconfig']);
    const edge = cluster(graph, 'edge-1');
    assert.deepEqual(objectIds(edge), ['ConfigMap edge/app']);
    assert.deepEqual(object(edge, 'ConfigMap', 'app').resource.obj.data, { cluster: 'edge' });
    assert.ok('kubeConfig' in edge.reachedBy && edge.reachedBy.kubeConfig.capiCluster === 'edge-1' && edge.reachedBy.kubeConfig.kustomization.cluster === 'hub');
    const { build } = object(cluster(graph, 'staging/cluster-kubeconfig'), 'ConfigMap', 'app');
    assert.deepEqual([...build.chain, build.kustomization].map((k) => `${k.cluster}:${k.name}`), ['hub:flux-system', 'hub:apps']);
    assert.ok(!objectIds(cluster(graph, 'hub')).some((id) => id.startsWith('ConfigMap')));
    // clusters/<name> folders reached from the hub are no entry points of their own
    assert.deepEqual(graph.entryPoints.map((e) => e.path), ['hub']);
  });
});

describe('cluster graph: read sets', () => {
  it('each build records what it read, the folders Flux listed among them, and a cluster’s reads are its builds’', () => {
    const graph = graphOf({
      ...bootstrap('one'),
      'clusters/one/apps.yaml': fluxKs('apps', `${SOURCE}\npath: ./apps`),
      'apps/cm.yaml': configMap('app', { a: 'b' }, 'default'),
      'apps/base/kustomization.yaml': 'resources: [../../shared/cm.yaml]\n',
      'shared/cm.yaml': configMap('shared', { a: 'b' }, 'default'),
      'unrelated/cm.yaml': configMap('unrelated', { a: 'b' }, 'default'),
    });
    assert.deepEqual(problems(graph), []);
    const rel = (p: string): string => path.relative(graph.root, p).split(path.sep).join('/');
    const apps = cluster(graph, 'one').builds.find((b) => b.path === 'apps')!;
    const reads = new Map(apps.reads.entries().map((r) => [rel(r.path), r.kinds]));
    assert.ok(reads.get('apps/cm.yaml')?.includes('read'), 'a file of the folder');
    assert.ok(reads.get('shared/cm.yaml')?.includes('read'), 'a file a sub-kustomization refers to');
    assert.ok(reads.get('apps')?.includes('list'), 'the folder Flux listed for its generated kustomization');
    assert.ok(![...reads.keys()].some((p) => p.startsWith('unrelated') || p.startsWith('clusters')), [...reads.keys()].join(', '));
    const all = clusterReads(cluster(graph, 'one')).entries().map((r) => rel(r.path));
    assert.ok(all.includes('clusters/one/apps.yaml') && all.includes('shared/cm.yaml'), all.join(', '));
  });
});

describe('cluster graph: a path built once per spec', () => {
  /** A hub applying ./deploy/apps to one spoke per entry, each with its own spec lines. */
  const hubWith = (spokes: Record<string, string>, apps: Record<string, string>): Record<string, string> => ({
    'hub/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
    'hub/flux-system/gotk-sync.yaml': `${gitRepo('flux-system', 'https://github.com/example/hub')}---\n${fluxKs('flux-system', `path: ./hub\n${SOURCE}`)}`,
    ...Object.fromEntries(Object.entries(spokes).map(([name, spec]) => [`hub/${name}.yaml`, fluxKs(name, `${SOURCE}\n  namespace: flux-system\npath: ./deploy/apps\nkubeConfig:\n  secretRef:\n    name: ${name}-kubeconfig\n${spec}`)])),
    ...apps,
  });
  const cm = { 'deploy/apps/kustomization.yaml': 'resources: [cm.yaml]\n', 'deploy/apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  cluster: ${CLUSTER}\n' };

  it('builds a path that only post-build variables tell apart once, each cluster substituting its own copy', () => {
    const built: string[] = [];
    const graph = graphOf(
      hubWith({ one: 'postBuild:\n  substitute:\n    CLUSTER: one', two: 'postBuild:\n  substitute:\n    CLUSTER: two', three: 'postBuild:\n  substitute:\n    CLUSTER: three' }, cm),
      { onBuild: (rel) => built.push(rel) },
    );
    assert.deepEqual(problems(graph), []);
    assert.deepEqual(built, ['hub', 'deploy/apps']);
    const apps = ['one', 'two', 'three'].map((name) => object(cluster(graph, `${name}-kubeconfig`), 'ConfigMap', 'app'));
    assert.deepEqual(apps.map((a) => a.resource.obj.data), [{ cluster: 'one' }, { cluster: 'two' }, { cluster: 'three' }]);
    assert.equal(new Set(apps.map((a) => a.resource.obj)).size, 3, 'each cluster has objects of its own');
    assert.deepEqual(apps[2]!.build.reads.entries(), apps[0]!.build.reads.entries());
    assert.deepEqual(apps[1]!.resource.state.source, apps[0]!.resource.state.source);
  });

  it('builds the same path again when a field that shapes the build differs', () => {
    const built: string[] = [];
    const graph = graphOf(hubWith({ one: 'targetNamespace: one', two: 'targetNamespace: two', three: 'targetNamespace: one' }, cm), { onBuild: (rel) => built.push(rel) });
    assert.deepEqual(built, ['hub', 'deploy/apps', 'deploy/apps']);
    assert.deepEqual(['one', 'two', 'three'].map((name) => object(cluster(graph, `${name}-kubeconfig`), 'ConfigMap', 'app').resource.namespace), ['one', 'two', 'one']);
  });

  it('gives each use of a path that fails to build the same problem', () => {
    const graph = graphOf(hubWith({ one: '', two: '' }, { 'deploy/apps/kustomization.yaml': 'resources: [missing.yaml]\n' }));
    const found = problems(graph);
    assert.equal(found.length, 2, found.join('\n'));
    assert.equal(found[0]!.replace(/^\S+/, ''), found[1]!.replace(/^\S+/, ''));
    assert.match(found[0]!, /deploy\/apps: build: .*missing\.yaml/);
  });
});

describe('cluster graph: builds ahead on threads', () => {
  /** A hub applying clusters/c<i> for each i: some fail to build, some warn (legacy/ is deprecated), the last few share one spec. */
  const fleet = (): Record<string, string> => {
    const files: Record<string, string> = {
      'hub/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
      'hub/flux-system/gotk-sync.yaml': `${gitRepo('flux-system', 'https://github.com/example/hub')}---\n${fluxKs('flux-system', `path: ./hub\n${SOURCE}`)}`,
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': configMap('app', { cluster: '${CLUSTER:=none}' }, 'default'),
      'legacy/kustomization.yaml': 'resources: [cm.yaml]\ncommonLabels: {team: a}\n',
      'legacy/cm.yaml': configMap('legacy', { a: 'b' }, 'default'),
    };
    for (let i = 0; i < 24; i++) {
      const shared = i >= 20;
      files[`hub/c${i}.yaml`] = fluxKs(`c${i}`, `${SOURCE}\npath: ./${shared ? 'base' : `clusters/c${i}`}\n${shared ? `kubeConfig:\n  secretRef:\n    name: c${i}-kubeconfig\n` : ''}postBuild:\n  substitute:\n    CLUSTER: c${i}`);
      if (shared) continue;
      const resources = i % 7 === 3 ? '[../../base, missing.yaml]' : i % 5 === 1 ? '[../../base, ../../legacy]' : '[../../base]';
      files[`clusters/c${i}/kustomization.yaml`] = `resources: ${resources}\nnamePrefix: c${i}-\n`;
    }
    return files;
  };

  /** Everything the graph gives, objects with their build state, and the warnings, as plain data. */
  const described = (graph: ClusterGraph) =>
    graph.clusters.map((c) => ({
      name: c.name,
      builds: c.builds.map((b) => ({ path: b.path, problems: b.problems, reads: b.reads.entries(), objects: b.resources.map((r) => ({ obj: r.obj, state: r.state })) })),
    }));

  it('gives the same graph, warnings in the same order, with its builds made on two threads as on this one', () => {
    const root = tempTree('graph', fleet());
    const run = (prebuild?: ClusterGraphOptions['prebuild']) => {
      const warnings: string[] = [];
      const graph = buildClusterGraph(root, { onWarning: (message, file) => warnings.push(`${file}: ${message}`), ...(prebuild ? { prebuild } : {}) });
      return { graph: described(graph), warnings };
    };
    const planned: number[] = [];
    const threaded = prebuildOnThreads({ fileCache: new FileCache(), threads: 2 })!;
    assert.equal(prebuildOnThreads({ fileCache: new FileCache(), threads: 1 }), undefined, 'one thread: no planning ahead');
    const ahead = run((builds) => {
      const built = threaded(builds);
      planned.push(built.filter(Boolean).length);
      return built;
    });
    const here = run();
    // the 21 different paths of the clusters' Kustomizations, all ready at once once the hub is built
    assert.deepEqual(planned, [21]);
    assert.deepEqual(ahead.graph, here.graph);
    assert.deepEqual(ahead.warnings, here.warnings);
    // the tree holds what the comparison is about
    assert.ok(here.warnings.some((w) => /commonLabels/.test(w)), here.warnings.join('\n'));
    assert.equal(here.graph.flatMap((c) => c.builds.flatMap((b) => b.problems)).filter((p) => p.kind === 'build').length, 3);
    assert.equal(here.graph.filter((c) => c.name.endsWith('-kubeconfig')).length, 4);
  });

  it('builds here what the prebuild does not give', () => {
    const root = tempTree('graph', fleet());
    const graph = buildClusterGraph(root, { prebuild: () => [] });
    assert.equal(graph.clusters.length, 5);
    assert.deepEqual(object(graph.clusters[0]!, 'ConfigMap', 'c0-app').resource.obj.data, { cluster: 'c0' });
  });
});
