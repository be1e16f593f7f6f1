import * as path from 'node:path';
import { clone, isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import type {
  Addon,
  AzureSettings,
  ClusterEntry,
  ClusterSettings,
  ControlPlane,
  FleetSpec,
  NodePool,
  Provider,
  ResolvedAddon,
  ResolvedCluster,
} from './types.js';

/** One level of a cluster's settings, and where the spec writes it (a JSON pointer). */
export interface SettingsLevel {
  settings: ClusterSettings;
  pointer: string;
}

/** The levels a cluster's settings come from, least specific first: fleet defaults, environment defaults, the cluster. */
export function settingsLevels(spec: FleetSpec, clusterIndex: number): SettingsLevel[] {
  const entry = spec.spec.clusters[clusterIndex]!;
  const envIndex = spec.spec.environments.findIndex((e) => e.name === entry.environment);
  const levels: SettingsLevel[] = [];
  if (spec.spec.defaults) levels.push({ settings: spec.spec.defaults, pointer: '/spec/defaults' });
  const envDefaults = spec.spec.environments[envIndex]?.defaults;
  if (envDefaults) levels.push({ settings: envDefaults, pointer: `/spec/environments/${envIndex}/defaults` });
  levels.push({ settings: clusterSettings(entry), pointer: `/spec/clusters/${clusterIndex}` });
  return levels;
}

/** A cluster entry's own settings: everything but its name and environment. */
export function clusterSettings(entry: ClusterEntry): ClusterSettings {
  const { name: _name, environment: _environment, ...settings } = entry;
  return settings;
}

/**
 * Merges settings levels, least specific first: maps merge deeply (add-on `values` included),
 * `nodePools` merge by name (a later pool merges over the pool of the same name, new names are
 * appended), anything else — scalars and other lists — is replaced by the later level.
 */
export function mergeSettings(levels: readonly ClusterSettings[]): ClusterSettings {
  let merged: ClusterSettings = {};
  for (const level of levels) {
    const { nodePools, ...rest } = level;
    const pools = mergePools(merged.nodePools, nodePools);
    merged = deepMerge(merged as JsonObject, rest as JsonObject) as ClusterSettings;
    if (pools) merged.nodePools = pools;
  }
  return merged;
}

function mergePools(base: readonly NodePool[] | undefined, over: readonly NodePool[] | undefined): NodePool[] | undefined {
  if (!over) return base && [...base];
  const out = (base ?? []).map((p) => ({ ...p }));
  for (const pool of over) {
    const i = out.findIndex((p) => p.name === pool.name);
    if (i < 0) out.push({ ...pool });
    else out[i] = { ...out[i]!, ...pool };
  }
  return out;
}

/** `over` merged into a copy of `base`: objects merge key by key, anything else replaces. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out = clone(base);
  for (const key of Object.keys(over)) {
    const b = out[key];
    const o = over[key] as JsonValue;
    setKey(out, key, isObject(b) && isObject(o) ? deepMerge(b, o) : clone(o));
  }
  return out;
}

/** The control plane machines a self-managed cluster gets unless a level says otherwise. */
const DEFAULT_CONTROL_PLANE_REPLICAS: Record<Provider, number | undefined> = {
  aks: undefined,
  'aks-azuremanaged': undefined,
  azure: 3,
  docker: 1,
};

export const DEFAULT_CAPI_VERSION = 'v1beta2';
export const DEFAULT_BRANCH = 'main';

/** `repository.path` as a folder relative to the repository root: `./deploy/fleet/` is `deploy/fleet`, none or `.` is `` (the root). */
export function repositoryPath(written: string | undefined): string {
  const normalized = path.posix.normalize(written ?? '.').replace(/\/+$/, '');
  return normalized === '.' ? '' : normalized;
}

export function isAzureProvider(provider: Provider): boolean {
  return provider !== 'docker';
}

/**
 * A cluster with its merged settings defaulted: capiVersion v1beta2, the Azure resource group
 * named after the cluster, a pool's replicas its minReplicas (else 1) and an AKS pool's mode
 * User, 3 control plane machines on azure and 1 on docker, and only the add-ons whose merged
 * `enabled` is true, their chart version and values overridden by the settings. The settings
 * must have been checked.
 */
export function resolveCluster(spec: FleetSpec, entry: ClusterEntry, merged: ClusterSettings): ResolvedCluster {
  const provider = merged.provider!;
  const azure: AzureSettings = { ...merged.azure };
  if (isAzureProvider(provider)) azure.resourceGroup ??= entry.name;
  const controlPlane: ControlPlane = { ...merged.controlPlane };
  const cpReplicas = DEFAULT_CONTROL_PLANE_REPLICAS[provider];
  if (cpReplicas !== undefined) controlPlane.replicas ??= cpReplicas;
  const resolved: ResolvedCluster = {
    name: entry.name,
    environment: entry.environment,
    namespace: fleetNamespace(spec),
    provider,
    capiVersion: merged.capiVersion ?? DEFAULT_CAPI_VERSION,
    kubernetesVersion: merged.kubernetesVersion!,
    azure,
    nodePools: resolvePools(merged.nodePools ?? [], provider),
    controlPlane,
    addons: resolveAddons(spec.spec.addons ?? [], merged),
    labels: { ...merged.labels },
  };
  if (merged.location !== undefined) resolved.location = merged.location;
  return resolved;
}

/**
 * A pool's replicas default to its minReplicas, else 1. AKS needs a System pool: where no pool
 * says `mode: System`, the first pool that names no mode becomes it; other pools are User pools.
 */
export function resolvePools(pools: readonly NodePool[], provider: Provider): NodePool[] {
  const resolved = pools.map((pool): NodePool => ({ ...pool, replicas: pool.replicas ?? pool.minReplicas ?? 1 }));
  if (isAksProvider(provider)) {
    const system = resolved.some((p) => p.mode === 'System') ? undefined : resolved.find((p) => p.mode === undefined);
    if (system) system.mode = 'System';
    for (const pool of resolved) pool.mode ??= 'User';
  }
  return resolved;
}

export function isAksProvider(provider: Provider): boolean {
  return provider === 'aks' || provider === 'aks-azuremanaged';
}

export function fleetNamespace(spec: FleetSpec): string {
  return spec.spec.namespace ?? spec.metadata.name;
}

function resolveAddons(addons: readonly Addon[], merged: ClusterSettings): ResolvedAddon[] {
  const out: ResolvedAddon[] = [];
  for (const addon of addons) {
    const settings = merged.addons?.[addon.name];
    if (settings?.enabled !== true) continue;
    out.push({
      name: addon.name,
      namespace: addon.namespace,
      chart: { ...addon.chart, version: settings.version ?? addon.chart.version },
      values: deepMerge((addon.values ?? {}) as JsonObject, (settings.values ?? {}) as JsonObject),
    });
  }
  return out;
}
