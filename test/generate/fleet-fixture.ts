/**
 * Resolved fleets for generator tests and benchmarks, built without the spec loader: a spec with
 * add-on settings at every level (defaults, environment, cluster) and the resolution generation must
 * reproduce (`defaults` ← environment ← cluster; values merged deeply, versions overridden).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  Addon,
  AddonSettings,
  ClusterEntry,
  ClusterSettings,
  Environment,
  FleetSpec,
  GeneratedFile,
  Provider,
  ResolvedAddon,
  ResolvedCluster,
  ResolvedFleet,
} from '../../src/fleet/types.js';

export const ADDONS: Addon[] = [
  {
    name: 'ingress-nginx',
    namespace: 'ingress-nginx',
    chart: { name: 'ingress-nginx', version: '4.11.3', repository: 'https://kubernetes.github.io/ingress-nginx' },
    values: { controller: { replicaCount: 2, service: { type: 'LoadBalancer' } } },
  },
  {
    name: 'cert-manager',
    namespace: 'cert-manager',
    chart: { name: 'cert-manager', version: 'v1.16.1', repository: 'https://charts.jetstack.io' },
    values: { crds: { enabled: true } },
  },
  { name: 'podinfo', namespace: 'apps', chart: { name: 'podinfo', version: '6.7.1', repository: 'oci://ghcr.io/stefanprodan/charts' } },
];

export const ENVIRONMENTS: Environment[] = [
  { name: 'dev', defaults: { addons: { podinfo: { enabled: true, values: { replicaCount: 1 } } } } },
  { name: 'staging', promotesFrom: 'dev', defaults: { addons: { 'ingress-nginx': { version: '4.12.0' } } } },
  {
    name: 'prod',
    promotesFrom: 'staging',
    defaults: { addons: { 'ingress-nginx': { version: '4.12.0', values: { controller: { replicaCount: 3, metrics: { enabled: true } } } } } },
  },
];

export interface FleetOptions {
  clusters: number;
  environments?: Environment[];
  /** Clusters go to these environments in turn (default: every environment). */
  clusterEnvironments?: string[];
  /** Clusters use these providers in turn (default: the fleet default, docker). */
  providers?: Provider[];
}

/** Every cluster varies a little with its index: some override add-on values or versions, some turn an add-on off. */
export function clusterEntry(i: number, environment: string, provider?: Provider): ClusterEntry {
  const entry: ClusterEntry = { name: `${environment}-c${String(i).padStart(4, '0')}`, environment, labels: { index: String(i) }, ...(provider ? { provider } : {}) };
  const addons: Record<string, AddonSettings> = {};
  if (i % 3 === 1) addons['ingress-nginx'] = { values: { controller: { replicaCount: 5 + (i % 4) } } };
  if (i % 5 === 2) addons['cert-manager'] = { enabled: false };
  if (i % 7 === 3) addons['ingress-nginx'] = { ...addons['ingress-nginx'], version: '4.12.1' };
  if (Object.keys(addons).length) entry.addons = addons;
  return entry;
}

export function fleetFixture(options: FleetOptions): ResolvedFleet {
  const environments = options.environments ?? ENVIRONMENTS;
  const envNames = options.clusterEnvironments ?? environments.map((e) => e.name);
  const spec: FleetSpec = {
    apiVersion: 'capifleet.io/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'contoso' },
    spec: {
      namespace: 'contoso-clusters',
      repository: { url: 'https://github.com/contoso/fleet', branch: 'main' },
      defaults: {
        provider: 'docker',
        kubernetesVersion: 'v1.32.6',
        location: 'westeurope',
        azure: {
          subscriptionID: '00000000-0000-0000-0000-000000000001',
          identity: { name: 'fleet-identity', clientID: '00000000-0000-0000-0000-000000000002', tenantID: '00000000-0000-0000-0000-000000000003' },
        },
        controlPlane: { replicas: 1 },
        nodePools: [{ name: 'md-0', replicas: 2 }],
        addons: { 'ingress-nginx': { enabled: true }, 'cert-manager': { enabled: true, values: { crds: { keep: true } } } },
      },
      environments,
      addons: ADDONS,
      clusters: Array.from({ length: options.clusters }, (_, i) => clusterEntry(i, envNames[i % envNames.length]!, options.providers?.[i % options.providers.length])),
    },
  };
  return resolveFleet(spec);
}

export function resolveFleet(spec: FleetSpec): ResolvedFleet {
  const namespace = spec.spec.namespace ?? spec.metadata.name;
  const envs = new Map(spec.spec.environments.map((e) => [e.name, e]));
  const addons = spec.spec.addons ?? [];
  return {
    name: spec.metadata.name,
    namespace,
    repository: { url: spec.spec.repository.url, branch: spec.spec.repository.branch ?? 'main' },
    environments: spec.spec.environments,
    addons,
    clusters: spec.spec.clusters.map((entry) => resolveCluster(entry, [spec.spec.defaults ?? {}, envs.get(entry.environment)?.defaults ?? {}, entry], addons, namespace)),
    spec,
    file: 'fleet.yaml',
  };
}

function resolveCluster(entry: ClusterEntry, levels: ClusterSettings[], addons: Addon[], namespace: string): ResolvedCluster {
  const last = <K extends keyof ClusterSettings>(key: K): ClusterSettings[K] => levels.reduce<ClusterSettings[K]>((v, l) => l[key] ?? v, undefined);
  const resolvedAddons: ResolvedAddon[] = addons.flatMap((addon) => {
    const settings = levels.map((l) => l.addons?.[addon.name] ?? {});
    if (!settings.reduce((on, s) => s.enabled ?? on, false)) return [];
    const version = settings.reduce((v, s) => s.version ?? v, addon.chart.version);
    const values = settings.reduce((v, s) => deepMerge(v, s.values ?? {}), addon.values ?? {});
    return [{ name: addon.name, namespace: addon.namespace, chart: { ...addon.chart, version }, values }];
  });
  return {
    name: entry.name,
    environment: entry.environment,
    namespace,
    provider: last('provider') ?? 'docker',
    capiVersion: last('capiVersion') ?? 'v1beta2',
    kubernetesVersion: last('kubernetesVersion') ?? 'v1.32.6',
    ...(last('location') ? { location: last('location')! } : {}),
    azure: levels.reduce<Record<string, unknown>>((a, l) => deepMerge(a, { ...l.azure }), {}),
    nodePools: last('nodePools') ?? [],
    controlPlane: last('controlPlane') ?? {},
    addons: resolvedAddons,
    labels: levels.reduce<Record<string, string>>((l, s) => ({ ...l, ...s.labels }), {}),
  };
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Writes generated files under a directory, as `capifleet generate` would (without its header line). */
export function writeTree(root: string, files: readonly GeneratedFile[]): void {
  const dirs = new Set(files.map((f) => path.dirname(path.join(root, f.path))));
  for (const dir of dirs) fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(root, f.path), f.content);
}
