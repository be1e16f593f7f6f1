/**
 * The fleet repository's Kustomize tree, generated from a resolved fleet spec. Each level of the
 * spec lands once, where it belongs: fleet-wide Flux wiring, add-ons and provider defaults under
 * `base/`, what an environment sets in its Component under `overlays/<env>/_environment/`, and one
 * overlay per cluster under `overlays/<env>/<cluster>/` that builds everything the management
 * cluster needs for it. Names in an overlay are prefixed with the cluster's, so overlays share no
 * object and each may be applied (and pruned) on its own: the management entry point
 * `overlays/_management/` does that, with one Flux Kustomization per overlay and the one
 * GitRepository of the fleet that they all use.
 *
 * The environment Component sits one directory below `overlays/<env>/` rather than in it because
 * kustomize refuses to load a directory that contains the one being built (a cluster overlay
 * inside its environment's directory). A cluster name is a DNS label, so `_environment` never clashes.
 */
import * as path from 'node:path';
import type { AddonSettings, ClusterEntry, GeneratedFile, Provider, ResolvedCluster, ResolvedFleet } from '../fleet/types.js';
import {
  addonSettingsPatch,
  clusterKustomization,
  fleetNamespaceObject,
  gitRepository,
  helmRelease,
  helmRepository,
  nameReferences,
  WORKLOAD_BASE_DIR,
  workloadClusterInfo,
  workloadClusterPatches,
  workloadKustomization,
} from './flux.js';
import { DEFAULT_CAPI_VERSION } from '../fleet/resolve.js';
import { MANAGEMENT_ENTRY } from '../cluster-graph/entry-points.js';
import { kustomizationFile, patchEntry, type PatchEntry } from './kustomize.js';
import { byPath } from './plan.js';
import type { ProviderModule } from './providers/provider.js';
import { PROVIDER_MODULES } from './providers/index.js';
import { toYaml } from './yaml.js';

export const ENVIRONMENT_COMPONENT_DIR = '_environment';
export const ENVIRONMENT_LABEL = 'capifleet.io/environment';

export function generateTree(
  fleet: ResolvedFleet,
  providers: Record<Provider, ProviderModule> = PROVIDER_MODULES,
): { files: GeneratedFile[]; warnings: string[] } {
  const entries = new Map(fleet.spec.spec.clusters.map((c) => [c.name, c]));
  const files = [
    ...fluxBase(fleet),
    ...addonBases(fleet),
    ...providerBases(fleet, providers),
    ...environmentComponents(fleet),
    ...managementEntry(fleet),
    ...fleet.clusters.flatMap((c) => clusterFiles(fleet, c, providers[c.provider], entries.get(c.name))),
  ];
  return { files: files.sort(byPath), warnings: deprecationWarnings(fleet, providers) };
}

/** Clusters shown by name in a warning; a fleet of hundreds needs one line per provider, not one per cluster. */
const NAMED_CLUSTERS = 5;

/** One warning per deprecated provider in use, naming the clusters that use it. */
function deprecationWarnings(fleet: ResolvedFleet, providers: Record<Provider, ProviderModule>): string[] {
  const users = new Map<Provider, string[]>();
  for (const c of fleet.clusters) {
    if (providers[c.provider].deprecation) users.set(c.provider, [...(users.get(c.provider) ?? []), c.name]);
  }
  return [...users].map(([provider, names]) => {
    const shown = names.slice(0, NAMED_CLUSTERS).join(', ');
    const more = names.length > NAMED_CLUSTERS ? ` and ${names.length - NAMED_CLUSTERS} more` : '';
    return `${names.length === 1 ? 'cluster' : 'clusters'} ${shown}${more}: ${providers[provider].deprecation}`;
  });
}

/**
 * The Flux wiring every cluster overlay includes, and the content it applies inside every workload
 * cluster (each cluster's values substituted by Flux); like every base, written only when used.
 */
function fluxBase(fleet: ResolvedFleet): GeneratedFile[] {
  if (fleet.clusters.length === 0) return [];
  return [
    file('base/flux/kustomization.yaml', kustomizationFile('Kustomization', { resources: ['workload.yaml'], configurations: ['name-references.yaml'] })),
    file('base/flux/workload.yaml', toYaml([workloadKustomization(fleet)])),
    file('base/flux/name-references.yaml', toYaml([nameReferences()])),
    file(`${WORKLOAD_BASE_DIR}/kustomization.yaml`, kustomizationFile('Kustomization', { resources: ['cluster-info.yaml'] })),
    file(`${WORKLOAD_BASE_DIR}/cluster-info.yaml`, toYaml([workloadClusterInfo()])),
  ];
}

/**
 * What the management cluster's Flux syncs (`flux bootstrap … --path=overlays/_management`): the
 * fleet's namespace, its one GitRepository, and per environment a folder with one Flux
 * Kustomization per cluster overlay. The folder itself has no kustomization file: Flux then
 * applies every YAML file in it and every folder below with a kustomization, the `flux-system/`
 * that `flux bootstrap` writes there included (a kustomization file of generate's would leave it
 * out, so Flux would no longer manage itself from git).
 */
function managementEntry(fleet: ResolvedFleet): GeneratedFile[] {
  if (fleet.clusters.length === 0) return [];
  const environments = fleet.environments.map((env) => ({ env: env.name, clusters: fleet.clusters.filter((c) => c.environment === env.name) })).filter((e) => e.clusters.length > 0);
  return [
    file(`${MANAGEMENT_ENTRY}/namespace.yaml`, toYaml([fleetNamespaceObject(fleet)])),
    file(`${MANAGEMENT_ENTRY}/gitrepository.yaml`, toYaml([gitRepository(fleet)])),
    ...environments.flatMap(({ env, clusters }) => [
      file(`${MANAGEMENT_ENTRY}/${env}/kustomization.yaml`, kustomizationFile('Kustomization', { resources: clusters.map((c) => `${c.name}.yaml`) })),
      ...clusters.map((c) => file(`${MANAGEMENT_ENTRY}/${env}/${c.name}.yaml`, toYaml([clusterKustomization(fleet, c, clusterDir(c))]))),
    ]),
  ];
}

/** A base per add-on some cluster enables, with the fleet defaults' version and values as its patch. */
function addonBases(fleet: ResolvedFleet): GeneratedFile[] {
  const used = new Set(fleet.clusters.flatMap((c) => c.addons.map((a) => a.name)));
  const defaults = fleet.spec.spec.defaults?.addons ?? {};
  return fleet.addons
    .filter((a) => used.has(a.name))
    .flatMap((addon) => {
      const dir = addonBaseDir(addon.name);
      const patches = settingsPatches({ [addon.name]: defaults[addon.name] });
      return [
        file(`${dir}/kustomization.yaml`, kustomizationFile('Kustomization', { resources: ['helmrepository.yaml', 'helmrelease.yaml'], patches })),
        file(`${dir}/helmrepository.yaml`, toYaml([helmRepository(addon)])),
        file(`${dir}/helmrelease.yaml`, toYaml([helmRelease(addon)])),
      ];
    });
}

function providerBases(fleet: ResolvedFleet, providers: Record<Provider, ProviderModule>): GeneratedFile[] {
  const bases = new Map<string, GeneratedFile>();
  for (const cluster of fleet.clusters) {
    const dir = providerBaseDir(cluster);
    if (bases.has(dir)) continue;
    const patches = providers[cluster.provider].basePatches(cluster).map((p) => patchEntry(p.target, p.patch));
    bases.set(dir, file(`${dir}/kustomization.yaml`, kustomizationFile('Component', { patches })));
  }
  return [...bases.values()];
}

/** A Component per environment that has clusters: its label and its add-on settings. */
function environmentComponents(fleet: ResolvedFleet): GeneratedFile[] {
  const used = new Set(fleet.clusters.map((c) => c.environment));
  return fleet.environments
    .filter((e) => used.has(e.name))
    .map((env) =>
      file(
        `${environmentComponentDir(env.name)}/kustomization.yaml`,
        kustomizationFile('Component', { labels: { [ENVIRONMENT_LABEL]: env.name }, patches: settingsPatches(env.defaults?.addons ?? {}) }),
      ),
    );
}

/**
 * A cluster's overlay: its objects and provider base in the fleet namespace, and its Flux objects
 * (`flux/`, prefixed with its name, with its own add-on settings and workload values).
 */
function clusterFiles(fleet: ResolvedFleet, cluster: ResolvedCluster, module: ProviderModule, entry: ClusterEntry | undefined): GeneratedFile[] {
  const dir = clusterDir(cluster);
  const fluxDir = `${dir}/flux`;
  const enabled = new Set(cluster.addons.map((a) => a.name));
  const clusterAddons = Object.fromEntries(Object.entries(entry?.addons ?? {}).filter(([name]) => enabled.has(name)));
  return [
    file(`${dir}/kustomization.yaml`, kustomizationFile('Kustomization', { namespace: cluster.namespace, resources: ['cluster.yaml', 'flux'], components: [relative(dir, providerBaseDir(cluster))] })),
    file(`${dir}/cluster.yaml`, toYaml(module.clusterObjects(cluster))),
    file(
      `${fluxDir}/kustomization.yaml`,
      kustomizationFile('Kustomization', {
        namePrefix: `${cluster.name}-`,
        resources: [relative(fluxDir, 'base/flux'), ...cluster.addons.map((a) => relative(fluxDir, addonBaseDir(a.name)))],
        components: [relative(fluxDir, environmentComponentDir(cluster.environment))],
        patches: [...workloadClusterPatches(fleet.name, cluster, cluster.addons.length > 0), ...settingsPatches(clusterAddons)],
      }),
    ),
  ];
}

function file(filePath: string, content: string): GeneratedFile {
  return { path: filePath, content };
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

/** Where a cluster's overlay lies in the tree, relative to the spec's folder. */
export function clusterDir(cluster: Pick<ResolvedCluster, 'environment' | 'name'>): string {
  return `overlays/${cluster.environment}/${cluster.name}`;
}

function relative(from: string, to: string): string {
  return path.posix.relative(from, to);
}
