/**
 * The fleet repository's Kustomize tree, generated from a resolved fleet spec. Each level of the
 * spec lands once, where it belongs: fleet-wide Flux wiring, add-ons and provider defaults under
 * `base/`, what an environment sets in its Component under `overlays/<env>/_environment/`, and one
 * overlay per cluster under `overlays/<env>/<cluster>/` that builds everything the management
 * cluster needs for it. Names in an overlay are prefixed with the cluster's, so overlays share no
 * object and each may be applied (and pruned) on its own.
 *
 * The environment Component sits one directory below `overlays/<env>/` rather than in it because
 * kustomize refuses to load a directory that contains the one being built (a cluster overlay
 * inside its environment's directory). A cluster name is a DNS label, so `_environment` never clashes.
 */
import * as path from 'node:path';
import type { JsonObject } from '../engine/json.js';
import type { AddonSettings, CapiVersion, ClusterEntry, GeneratedFile, Provider, ResolvedCluster, ResolvedFleet } from '../fleet/types.js';
import {
  addonSettingsPatch,
  gitRepository,
  helmRelease,
  helmRepository,
  nameReferences,
  workloadClusterPatches,
  workloadKustomization,
} from './flux.js';
import { kustomizationFile, patchEntry, type PatchEntry } from './kustomize.js';
import type { ProviderModule } from './providers/provider.js';
import { PROVIDER_MODULES } from './providers/index.js';
import { toYaml } from './yaml.js';

export const ENVIRONMENT_COMPONENT_DIR = '_environment';
export const ENVIRONMENT_LABEL = 'capifleet.io/environment';
const DEFAULT_CAPI_VERSION: CapiVersion = 'v1beta2';

export function generateTree(
  fleet: ResolvedFleet,
  providers: Record<Provider, ProviderModule> = PROVIDER_MODULES,
): { files: GeneratedFile[]; warnings: string[] } {
  const files = new Map<string, string>();
  const add = (file: string, content: string): void => void files.set(file, content);
  const warnings: string[] = [];

  add('base/flux/kustomization.yaml', kustomizationFile('Kustomization', { resources: ['gitrepository.yaml', 'workload.yaml'], configurations: ['name-references.yaml'] }));
  add('base/flux/gitrepository.yaml', toYaml([gitRepository(fleet)]));
  add('base/flux/workload.yaml', toYaml([workloadKustomization()]));
  add('base/flux/name-references.yaml', toYaml([nameReferences()]));

  const defaultAddons = fleet.spec.spec.defaults?.addons ?? {};
  for (const addon of fleet.addons.filter((a) => fleet.clusters.some((c) => c.addons.some((ca) => ca.name === a.name)))) {
    const dir = addonBaseDir(addon.name);
    add(`${dir}/kustomization.yaml`, kustomizationFile('Kustomization', { resources: ['helmrepository.yaml', 'helmrelease.yaml'], patches: settingsPatches({ [addon.name]: defaultAddons[addon.name] }) }));
    add(`${dir}/helmrepository.yaml`, toYaml([helmRepository(addon)]));
    add(`${dir}/helmrelease.yaml`, toYaml([helmRelease(addon)]));
  }

  for (const cluster of fleet.clusters) {
    const dir = providerBaseDir(cluster);
    if (!files.has(`${dir}/kustomization.yaml`)) {
      const patches = providers[cluster.provider].basePatches(cluster).map((p) => patchEntry(p.target, p.patch));
      add(`${dir}/kustomization.yaml`, kustomizationFile('Component', { patches }));
    }
  }

  for (const env of fleet.environments.filter((e) => fleet.clusters.some((c) => c.environment === e.name))) {
    add(`${environmentComponentDir(env.name)}/kustomization.yaml`, kustomizationFile('Component', { labels: { [ENVIRONMENT_LABEL]: env.name }, patches: settingsPatches(env.defaults?.addons ?? {}) }));
  }

  const entries = new Map(fleet.spec.spec.clusters.map((c) => [c.name, c]));
  for (const cluster of fleet.clusters) {
    const module = providers[cluster.provider];
    if (module.deprecation) warnings.push(`cluster ${cluster.name}: ${module.deprecation}`);
    for (const f of clusterFiles(fleet, cluster, module, entries.get(cluster.name))) add(f.path, f.content);
  }

  return { files: [...files].map(([p, content]) => ({ path: p, content })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), warnings };
}

function clusterFiles(fleet: ResolvedFleet, cluster: ResolvedCluster, module: ProviderModule, entry: ClusterEntry | undefined): GeneratedFile[] {
  const dir = clusterDir(cluster);
  const fluxDir = `${dir}/flux`;
  const workloadDir = `${dir}/workload`;
  const enabled = new Set(cluster.addons.map((a) => a.name));
  const clusterAddons = Object.fromEntries(Object.entries(entry?.addons ?? {}).filter(([name]) => enabled.has(name)));
  return [
    {
      path: `${dir}/kustomization.yaml`,
      content: kustomizationFile('Kustomization', { namespace: cluster.namespace, resources: ['cluster.yaml', 'flux'], components: [relative(dir, providerBaseDir(cluster))] }),
    },
    { path: `${dir}/cluster.yaml`, content: toYaml(module.clusterObjects(cluster)) },
    {
      path: `${fluxDir}/kustomization.yaml`,
      content: kustomizationFile('Kustomization', {
        namePrefix: `${cluster.name}-`,
        resources: [relative(fluxDir, 'base/flux'), ...cluster.addons.map((a) => relative(fluxDir, addonBaseDir(a.name)))],
        components: [relative(fluxDir, environmentComponentDir(cluster.environment))],
        patches: [...workloadClusterPatches(cluster.name, `./${workloadDir}`, cluster.addons.length > 0), ...settingsPatches(clusterAddons)],
      }),
    },
    { path: `${workloadDir}/kustomization.yaml`, content: kustomizationFile('Kustomization', { resources: ['cluster-info.yaml'] }) },
    { path: `${workloadDir}/cluster-info.yaml`, content: toYaml([clusterInfo(fleet, cluster)]) },
  ];
}

/** What the workload cluster learns about itself: which fleet, environment and name it has there. */
function clusterInfo(fleet: ResolvedFleet, cluster: ResolvedCluster): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'capifleet-cluster', namespace: 'kube-system' },
    data: { fleet: fleet.name, environment: cluster.environment, cluster: cluster.name },
  };
}

function settingsPatches(byAddon: Record<string, AddonSettings | undefined>): PatchEntry[] {
  return Object.entries(byAddon).flatMap(([name, settings]) => addonSettingsPatch(name, settings) ?? []);
}

function addonBaseDir(addon: string): string {
  return `base/addons/${addon}`;
}

/** One provider base per CAPI version in use, since the provider's defaults depend on it. */
function providerBaseDir(cluster: Pick<ResolvedCluster, 'provider' | 'capiVersion'>): string {
  const suffix = cluster.capiVersion === DEFAULT_CAPI_VERSION ? '' : `-${cluster.capiVersion}`;
  return `base/providers/${cluster.provider}${suffix}`;
}

function environmentComponentDir(env: string): string {
  return `overlays/${env}/${ENVIRONMENT_COMPONENT_DIR}`;
}

function clusterDir(cluster: Pick<ResolvedCluster, 'environment' | 'name'>): string {
  return `overlays/${cluster.environment}/${cluster.name}`;
}

function relative(from: string, to: string): string {
  return path.posix.relative(from, to);
}
