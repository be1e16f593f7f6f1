/**
 * Resolved fleets for generator tests and benchmarks: a spec with
 * add-on settings at every level (defaults, environment, cluster) and the resolution generation must
 * reproduce (`defaults` ← environment ← cluster; values merged deeply, versions overridden).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFleet } from '../../src/fleet/load.js';
import type { Addon, AddonSettings, ClusterEntry, Environment, FleetSpec, GeneratedFile, Provider, ResolvedFleet } from '../../src/fleet/types.js';

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
        controlPlane: { replicas: 1, vmSize: 'Standard_D4ds_v5' },
        nodePools: [{ name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 2 }],
        addons: { 'ingress-nginx': { enabled: true }, 'cert-manager': { enabled: true, values: { crds: { keep: true } } } },
      },
      environments,
      addons: ADDONS,
      clusters: Array.from({ length: options.clusters }, (_, i) => clusterEntry(i, envNames[i % envNames.length]!, options.providers?.[i % options.providers.length])),
    },
  };
  return resolveFleet(spec);
}

/** The fleet the spec loader makes of a spec: resolution and checks are the real ones (JSON is YAML). */
export function resolveFleet(spec: FleetSpec): ResolvedFleet {
  return loadFleet(JSON.stringify(spec), 'fleet.yaml');
}

/** Writes generated files under a directory, as `capifleet generate` would (without its header line). */
export function writeTree(root: string, files: readonly GeneratedFile[]): void {
  const dirs = new Set(files.map((f) => path.dirname(path.join(root, f.path))));
  for (const dir of dirs) fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(root, f.path), f.content);
}
