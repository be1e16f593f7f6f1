import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/json/value.js';
import type { GeneratedFile, Provider, ResolvedCluster } from '../../src/fleet/types.js';
import type { ProviderModule } from '../../src/generate/providers/provider.js';
import { generateTree } from '../../src/generate/tree.js';
import { parseDocuments, parseSingleDocument } from '../../src/yaml/parse.js';
import { ENVIRONMENTS, fleetFixture, resolveFleet } from './fleet-fixture.js';

/** A provider that writes one Cluster object, so layout tests do not depend on what real providers write. */
function fakeProvider(provider: Provider, deprecation?: string): ProviderModule {
  return {
    provider,
    ...(deprecation ? { deprecation } : {}),
    clusterObjects: (c: ResolvedCluster): JsonObject[] => [{ apiVersion: `cluster.x-k8s.io/${c.capiVersion}`, kind: 'Cluster', metadata: { name: c.name } }],
    basePatches: (c) => [{ target: { group: 'cluster.x-k8s.io', version: c.capiVersion, kind: 'Cluster' }, patch: { spec: { paused: false } } }],
  };
}

const FAKE_PROVIDERS: Record<Provider, ProviderModule> = {
  aks: fakeProvider('aks'),
  'aks-azuremanaged': fakeProvider('aks-azuremanaged', 'the AzureManaged* API is deprecated; move to aks'),
  azure: fakeProvider('azure'),
  docker: fakeProvider('docker'),
};

function generate(fleet = fleetFixture({ clusters: 1 })) {
  return generateTree(fleet, FAKE_PROVIDERS);
}

function file(files: readonly GeneratedFile[], p: string): JsonObject {
  const f = files.find((x) => x.path === p);
  assert.ok(f, `no ${p} among ${files.map((x) => x.path).join(', ')}`);
  return parseSingleDocument(f.content, p) as JsonObject;
}

/** The patches of a kustomization file, each as its target and parsed body. */
function patches(k: JsonObject): { target: JsonObject; body: JsonObject }[] {
  return ((k.patches ?? []) as JsonObject[]).map((p) => ({ target: p.target as JsonObject, body: parseSingleDocument(p.patch as string, 'patch') as JsonObject }));
}

function withClusters(entries: { name: string; environment: string; provider?: Provider; capiVersion?: 'v1beta1' | 'v1beta2' }[]) {
  const fleet = fleetFixture({ clusters: 0 });
  fleet.spec.spec.clusters = entries;
  return resolveFleet(fleet.spec);
}

describe('generateTree layout', () => {
  it('writes the bases, the environment component and the cluster overlay of a one-cluster fleet', () => {
    assert.deepEqual(
      generate().files.map((f) => f.path),
      [
        'base/addons/cert-manager/helmrelease.yaml',
        'base/addons/cert-manager/helmrepository.yaml',
        'base/addons/cert-manager/kustomization.yaml',
        'base/addons/ingress-nginx/helmrelease.yaml',
        'base/addons/ingress-nginx/helmrepository.yaml',
        'base/addons/ingress-nginx/kustomization.yaml',
        'base/addons/podinfo/helmrelease.yaml',
        'base/addons/podinfo/helmrepository.yaml',
        'base/addons/podinfo/kustomization.yaml',
        'base/flux/kustomization.yaml',
        'base/flux/name-references.yaml',
        'base/flux/workload.yaml',
        'base/providers/docker/kustomization.yaml',
        'base/workload/cluster-info.yaml',
        'base/workload/kustomization.yaml',
        'overlays/_management/dev/dev-c0000.yaml',
        'overlays/_management/dev/kustomization.yaml',
        'overlays/_management/gitrepository.yaml',
        'overlays/_management/namespace.yaml',
        'overlays/dev/_environment/kustomization.yaml',
        'overlays/dev/dev-c0000/cluster.yaml',
        'overlays/dev/dev-c0000/flux/kustomization.yaml',
        'overlays/dev/dev-c0000/kustomization.yaml',
      ],
    );
  });

  const usedOnly: { name: string; clusters: Parameters<typeof withClusters>[0]; present: string[]; absent: string[] }[] = [
    {
      name: 'an add-on no cluster enables has no base',
      clusters: [{ name: 'p1', environment: 'prod' }],
      present: ['base/addons/ingress-nginx/kustomization.yaml'],
      absent: ['base/addons/podinfo/kustomization.yaml'],
    },
    {
      name: 'an environment without clusters has no directory',
      clusters: [{ name: 'p1', environment: 'prod' }],
      present: ['overlays/prod/_environment/kustomization.yaml'],
      absent: ['overlays/dev/_environment/kustomization.yaml', 'overlays/staging/_environment/kustomization.yaml'],
    },
    {
      name: 'one provider base per provider and CAPI version in use',
      clusters: [
        { name: 'a', environment: 'dev', provider: 'azure' },
        { name: 'b', environment: 'dev', provider: 'docker', capiVersion: 'v1beta1' },
        { name: 'c', environment: 'dev', provider: 'azure' },
      ],
      present: ['base/providers/azure/kustomization.yaml', 'base/providers/docker-v1beta1/kustomization.yaml'],
      absent: ['base/providers/docker/kustomization.yaml', 'base/providers/aks/kustomization.yaml'],
    },
  ];
  for (const c of usedOnly) {
    it(c.name, () => {
      const paths = new Set(generate(withClusters(c.clusters)).files.map((f) => f.path));
      for (const p of c.present) assert.ok(paths.has(p), `missing ${p}`);
      for (const p of c.absent) assert.ok(!paths.has(p), `unexpected ${p}`);
    });
  }

  it('writes nothing for a fleet without clusters', () => {
    assert.deepEqual(generate(withClusters([])), { files: [], warnings: [] });
  });

  it('points a cluster overlay at its namespace, objects, Flux kustomization and provider base', () => {
    const { files } = generate(withClusters([{ name: 'b', environment: 'dev', capiVersion: 'v1beta1' }]));
    assert.deepEqual(file(files, 'overlays/dev/b/kustomization.yaml'), {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'contoso-clusters',
      resources: ['cluster.yaml', 'flux'],
      components: ['../../../base/providers/docker-v1beta1'],
    });
    assert.deepEqual(file(files, 'overlays/dev/b/cluster.yaml'), { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'b' } });
  });

  it('prefixes Flux objects with the cluster name, sends them to its kubeconfig Secret and gives the workload content its values', () => {
    const { files } = generate();
    const flux = file(files, 'overlays/dev/dev-c0000/flux/kustomization.yaml');
    assert.equal(flux.namePrefix, 'dev-c0000-');
    assert.deepEqual(flux.resources, ['../../../../base/flux', '../../../../base/addons/ingress-nginx', '../../../../base/addons/cert-manager', '../../../../base/addons/podinfo']);
    assert.deepEqual(flux.components, ['../../_environment']);
    const [workload, releases] = patches(flux);
    assert.deepEqual(workload!.target, { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', name: 'workload' });
    assert.deepEqual(workload!.body.spec, {
      kubeConfig: { secretRef: { name: 'dev-c0000-kubeconfig', key: 'value' } },
      postBuild: { substitute: { CAPIFLEET_FLEET: 'contoso', CAPIFLEET_ENVIRONMENT: 'dev', CAPIFLEET_CLUSTER: 'dev-c0000' } },
    });
    const applied = file(files, 'base/flux/workload.yaml');
    assert.equal((applied.spec as JsonObject).path, './base/workload', 'every cluster applies the one shared workload base');
    assert.deepEqual(file(files, 'base/workload/cluster-info.yaml').data, { fleet: '${CAPIFLEET_FLEET}', environment: '${CAPIFLEET_ENVIRONMENT}', cluster: '${CAPIFLEET_CLUSTER}' });
    assert.deepEqual(releases!.target, { group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' });
    assert.deepEqual(releases!.body.spec, { kubeConfig: { secretRef: { name: 'dev-c0000-kubeconfig', key: 'value' } } });
  });

  it('leaves out the add-ons a cluster turns off, and the HelmRelease patch when none is left', () => {
    const fleet = withClusters([{ name: 'x', environment: 'staging' }]);
    fleet.spec.spec.clusters[0]!.addons = { 'ingress-nginx': { enabled: false }, 'cert-manager': { enabled: false } };
    const flux = file(generate(resolveFleet(fleet.spec)).files, 'overlays/staging/x/flux/kustomization.yaml');
    assert.deepEqual(flux.resources, ['../../../../base/flux']);
    assert.deepEqual(patches(flux).map((p) => p.target.kind), ['Kustomization']);
  });

  it('puts each level of add-on settings in its own place, as patches', () => {
    const fleet = withClusters([{ name: 'p1', environment: 'prod' }]);
    fleet.spec.spec.clusters[0]!.addons = { 'ingress-nginx': { version: '4.12.1', values: { controller: { replicaCount: 9 } } } };
    const { files } = generate(resolveFleet(fleet.spec));
    const release = file(files, 'base/addons/ingress-nginx/helmrelease.yaml');
    assert.equal((release.spec as JsonObject).targetNamespace, 'ingress-nginx');
    assert.deepEqual((release.spec as JsonObject).chart, { spec: { chart: 'ingress-nginx', version: '4.11.3', sourceRef: { kind: 'HelmRepository', name: 'ingress-nginx' } } });
    assert.deepEqual((release.spec as JsonObject).values, { controller: { replicaCount: 2, service: { type: 'LoadBalancer' } } });
    assert.deepEqual(patches(file(files, 'base/addons/cert-manager/kustomization.yaml')).map((p) => p.body.spec), [{ values: { crds: { keep: true } } }]);
    const env = file(files, 'overlays/prod/_environment/kustomization.yaml');
    assert.deepEqual(env.labels, [{ pairs: { 'capifleet.io/environment': 'prod' } }]);
    assert.deepEqual(patches(env), [
      {
        target: { group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease', name: 'ingress-nginx' },
        body: {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'ingress-nginx' },
          spec: { chart: { spec: { version: '4.12.0' } }, values: ENVIRONMENTS[2]!.defaults!.addons!['ingress-nginx']!.values! as JsonObject },
        },
      },
    ]);
    const clusterPatch = patches(file(files, 'overlays/prod/p1/flux/kustomization.yaml')).find((p) => p.target.name === 'ingress-nginx');
    assert.deepEqual(clusterPatch?.body.spec, { chart: { spec: { version: '4.12.1' } }, values: { controller: { replicaCount: 9 } } });
  });

  it('gives the HelmRepository of an OCI registry its type', () => {
    const repo = file(generate().files, 'base/addons/podinfo/helmrepository.yaml');
    assert.deepEqual(repo.spec, { interval: '1h', type: 'oci', url: 'oci://ghcr.io/stefanprodan/charts' });
  });

  it('warns once per deprecated provider, naming the clusters that use it', () => {
    const fleet = withClusters([
      { name: 'a', environment: 'dev', provider: 'aks-azuremanaged' },
      { name: 'b', environment: 'dev', provider: 'docker' },
      { name: 'c', environment: 'prod', provider: 'aks-azuremanaged' },
    ]);
    assert.deepEqual(generate(fleet).warnings, ['clusters a, c: the AzureManaged* API is deprecated; move to aks']);
    const many = withClusters(Array.from({ length: 8 }, (_, i) => ({ name: `c${i}`, environment: 'dev', provider: 'aks-azuremanaged' as const })));
    assert.deepEqual(generate(many).warnings, ['clusters c0, c1, c2, c3, c4 and 3 more: the AzureManaged* API is deprecated; move to aks']);
    assert.deepEqual(generate(withClusters([{ name: 'a', environment: 'dev', provider: 'aks-azuremanaged' }])).warnings, [
      'cluster a: the AzureManaged* API is deprecated; move to aks',
    ]);
  });

  it('is deterministic, sorted by path, and quotes strings YAML 1.1 would misread', () => {
    const fleet = fleetFixture({ clusters: 12 });
    fleet.spec.spec.repository.branch = 'yes';
    const a = generate(resolveFleet(fleet.spec));
    const b = generate(resolveFleet(fleet.spec));
    assert.deepEqual(a, b);
    const paths = a.files.map((f) => f.path);
    assert.deepEqual(paths, [...paths].sort());
    assert.match(a.files.find((f) => f.path === 'overlays/_management/gitrepository.yaml')!.content, /branch: "yes"/);
  });
});

describe('the management entry point', () => {
  const fleet = withClusters([
    { name: 'd1', environment: 'dev' },
    { name: 'p1', environment: 'prod' },
    { name: 'd2', environment: 'dev' },
  ]);
  const { files } = generate(fleet);
  const objects = files.flatMap((f) => parseDocuments(f.content, f.path).map((d) => d.value as JsonObject));

  it('holds the namespace, the source and a folder per environment with clusters, and no kustomization file of its own', () => {
    assert.deepEqual(
      files.filter((f) => f.path.startsWith('overlays/_management/')).map((f) => f.path),
      [
        'overlays/_management/dev/d1.yaml',
        'overlays/_management/dev/d2.yaml',
        'overlays/_management/dev/kustomization.yaml',
        'overlays/_management/gitrepository.yaml',
        'overlays/_management/namespace.yaml',
        'overlays/_management/prod/kustomization.yaml',
        'overlays/_management/prod/p1.yaml',
      ],
    );
    assert.deepEqual(file(files, 'overlays/_management/dev/kustomization.yaml').resources, ['d1.yaml', 'd2.yaml']);
    assert.deepEqual(file(files, 'overlays/_management/prod/kustomization.yaml').resources, ['p1.yaml']);
    assert.deepEqual(file(files, 'overlays/_management/namespace.yaml'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'contoso-clusters' } });
  });

  it('holds the one GitRepository of the whole tree, in the fleet namespace', () => {
    const sources = objects.filter((o) => o.kind === 'GitRepository');
    assert.deepEqual(sources, [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'fleet', namespace: 'contoso-clusters' },
        spec: { interval: '5m', url: 'https://github.com/contoso/fleet', ref: { branch: 'main' } },
      },
    ]);
  });

  it('applies each cluster overlay with a pruning Flux Kustomization that uses that source', () => {
    assert.deepEqual(file(files, 'overlays/_management/prod/p1.yaml'), {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'p1', namespace: 'contoso-clusters' },
      spec: { interval: '10m', prune: true, path: './overlays/prod/p1', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
    });
    const perCluster = files.filter((f) => /^overlays\/_management\/[^/]+\/(?!kustomization\.yaml)[^/]+$/.test(f.path));
    assert.deepEqual(perCluster.map((f) => f.path).sort(), ['overlays/_management/dev/d1.yaml', 'overlays/_management/dev/d2.yaml', 'overlays/_management/prod/p1.yaml']);
  });

  it('starts every Flux path with repository.path', () => {
    const spec = structuredClone(fleet.spec);
    spec.spec.repository.path = './deploy/fleet/';
    const moved = generate(resolveFleet(spec)).files;
    assert.equal((file(moved, 'overlays/_management/dev/d1.yaml').spec as JsonObject).path, './deploy/fleet/overlays/dev/d1');
    assert.equal((file(moved, 'base/flux/workload.yaml').spec as JsonObject).path, './deploy/fleet/base/workload');
    assert.deepEqual(
      moved.map((f) => f.path),
      files.map((f) => f.path),
      'the tree itself lies where it did: beside the spec',
    );
  });
});
