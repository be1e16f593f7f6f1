import { DNS_LABEL_MAX } from '../kubernetes/names.js';
import {
  AKS_NODE_RESOURCE_GROUP_MAX,
  breaksLimit,
  CLUSTER_NAME_LIMITS,
  NODE_POOL_NAME_LIMITS,
  type NameLimit,
} from './names.js';
import { isAksProvider, isAzureProvider, type SettingsLevel } from './resolve.js';
import { pointerOf, type SpecSource } from './source.js';
import type { ClusterSettings, FleetSpec, NodePool, Provider, ResolvedCluster } from './types.js';

/**
 * Checks of the spec as a whole that its JSON Schema cannot express: unique names, references
 * between environments, clusters and add-ons, promotion cycles. Throws the first problem as a
 * BuildError at its line. The spec must have passed the schema.
 */
export function checkSpec(spec: FleetSpec, source: SpecSource): void {
  const { environments, clusters } = spec.spec;
  const addons = spec.spec.addons ?? [];
  checkUnique('environment', environments, '/spec/environments', source);
  checkPromotions(spec, source);
  checkUnique('addon', addons, '/spec/addons', source);
  const addonNames = addons.map((a) => a.name);
  if (spec.spec.defaults) checkLevel(spec.spec.defaults, '/spec/defaults', addonNames, source);
  environments.forEach((env, i) => {
    if (env.defaults) checkLevel(env.defaults, `/spec/environments/${i}/defaults`, addonNames, source);
  });
  checkUnique('cluster', clusters, '/spec/clusters', source);
  const envNames = environments.map((e) => e.name);
  clusters.forEach((cluster, i) => {
    if (!envNames.includes(cluster.environment)) {
      source.fail(
        `cluster "${cluster.name}": environment "${cluster.environment}" is not defined in spec.environments (${defined(envNames)})`,
        `/spec/clusters/${i}/environment`,
      );
    }
    checkLevel(cluster, `/spec/clusters/${i}`, addonNames, source);
  });
}

function defined(names: readonly string[]): string {
  return names.length ? `defined: ${names.join(', ')}` : 'none are defined';
}

function checkUnique(what: string, items: readonly { name: string }[], pointer: string, source: SpecSource): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.name);
    if (first !== undefined) {
      const firstLine = source.lineOf(pointerOf(pointer, first, 'name'));
      source.fail(`duplicate ${what} name "${item.name}" (first at line ${firstLine})`, pointerOf(pointer, i, 'name'));
    }
    seen.set(item.name, i);
  });
}

/**
 * One level of settings: node pool names unique, every add-on it configures defined in
 * spec.addons. Only `{enabled: false}` may name an add-on the fleet does not define (as the
 * spec's own example does): it installs nothing, so a typo there changes nothing either.
 */
function checkLevel(settings: ClusterSettings, pointer: string, addonNames: readonly string[], source: SpecSource): void {
  if (settings.nodePools) checkUnique('node pool', settings.nodePools, `${pointer}/nodePools`, source);
  for (const [name, addon] of Object.entries(settings.addons ?? {})) {
    const onlyDisables = addon.enabled === false && Object.keys(addon).length === 1;
    if (!addonNames.includes(name) && !onlyDisables) {
      source.fail(`addon "${name}" is not defined in spec.addons (${defined(addonNames)})`, pointerOf(pointer, 'addons', name));
    }
  }
}

function checkPromotions(spec: FleetSpec, source: SpecSource): void {
  const environments = spec.spec.environments;
  const byName = new Map(environments.map((e) => [e.name, e]));
  environments.forEach((env, i) => {
    if (env.promotesFrom !== undefined && !byName.has(env.promotesFrom)) {
      source.fail(
        `environment "${env.name}" promotesFrom "${env.promotesFrom}", which is not an environment (${defined([...byName.keys()])})`,
        `/spec/environments/${i}/promotesFrom`,
      );
    }
  });
  environments.forEach((env, i) => {
    const path = [env.name];
    for (let from = env.promotesFrom; from !== undefined; from = byName.get(from)!.promotesFrom) {
      path.push(from);
      if (from === env.name) {
        source.fail(`promotesFrom forms a cycle: ${path.join(' <- ')}`, `/spec/environments/${i}/promotesFrom`);
      }
      if (path.length > environments.length + 1) break; // a cycle further up, reported at its own members
    }
  });
}

/**
 * Checks of one cluster's merged settings: what its provider needs is set, the numbers make
 * sense, and names derived from the cluster's fit the limits of the provider and Kubernetes.
 */
export function checkClusterSettings(name: string, merged: ClusterSettings, levels: readonly SettingsLevel[], source: SpecSource): void {
  const cluster = levels[levels.length - 1]!.pointer;
  const missing = (what: string, hint: string): never =>
    source.fail(`cluster "${name}": no ${what} is set (set ${hint} in spec.defaults, the environment's defaults or the cluster)`, cluster);
  const provider = merged.provider ?? missing('provider', 'provider');
  if (merged.kubernetesVersion === undefined) missing('Kubernetes version', 'kubernetesVersion');
  if (isAzureProvider(provider)) {
    if (merged.location === undefined) missing(`location (provider ${provider})`, 'location');
    if (merged.azure?.subscriptionID === undefined) missing(`Azure subscription (provider ${provider})`, 'azure.subscriptionID');
    if (merged.azure?.identity?.clientID === undefined) missing(`Azure identity client ID (provider ${provider})`, 'azure.identity.clientID');
    if (merged.azure?.identity?.tenantID === undefined) missing(`Azure identity tenant ID (provider ${provider})`, 'azure.identity.tenantID');
  }
  const pools = merged.nodePools ?? [];
  if (pools.length === 0) missing('node pool', 'nodePools');
  for (const pool of pools) checkPool(name, provider, pool, levels, source);
  if (isAksProvider(provider)) {
    if (pools.every((p) => p.mode === 'User')) {
      source.fail(`cluster "${name}": AKS needs a node pool with mode: System, and every pool here is mode: User`, poolPointer(levels, pools[0]!.name));
    }
  } else {
    const replicas = merged.controlPlane?.replicas;
    if (replicas !== undefined && replicas % 2 === 0) {
      source.fail(
        `cluster "${name}": controlPlane.replicas is ${replicas}; a kubeadm control plane with stacked etcd needs an odd number for quorum`,
        writtenAt(levels, '/controlPlane/replicas', source),
      );
    }
    if (provider === 'azure' && merged.controlPlane?.vmSize === undefined) missing('control plane VM size (provider azure)', 'controlPlane.vmSize');
  }
}

function checkPool(cluster: string, provider: Provider, pool: NodePool, levels: readonly SettingsLevel[], source: SpecSource): void {
  const at = (...fields: (keyof NodePool)[]) => poolPointer(levels, pool.name, ...fields);
  const where = `cluster "${cluster}": node pool "${pool.name}"`;
  checkLimit(`${where}: name`, pool.name, provider, NODE_POOL_NAME_LIMITS[provider], at('name'), source);
  const objectName = `${cluster}-${pool.name}`;
  if (objectName.length > DNS_LABEL_MAX) {
    source.fail(
      `${where}: "${objectName}" is ${objectName.length} characters; CAPI names the pool's objects <cluster>-<pool> and labels its machines with that name, and label values have at most ${DNS_LABEL_MAX}`,
      at('name'),
    );
  }
  if (isAzureProvider(provider) && pool.vmSize === undefined) {
    source.fail(`${where}: no vmSize is set (provider ${provider} needs an Azure VM size)`, at());
  }
  const { minReplicas: min, maxReplicas: max } = pool;
  if ((min === undefined) !== (max === undefined)) {
    source.fail(`${where}: set both minReplicas and maxReplicas to autoscale, or neither`, at(min === undefined ? 'maxReplicas' : 'minReplicas'));
  }
  if (min !== undefined && max !== undefined) {
    if (min > max) source.fail(`${where}: minReplicas ${min} is above maxReplicas ${max}`, at('minReplicas', 'maxReplicas'));
    const replicas = pool.replicas;
    if (replicas !== undefined && (replicas < min || replicas > max)) {
      source.fail(`${where}: replicas ${replicas} is outside minReplicas..maxReplicas (${min}..${max})`, at('replicas', 'minReplicas', 'maxReplicas'));
    }
  }
}

/**
 * Checks of a resolved cluster's names against its provider: the cluster name, and the Azure
 * names derived from it.
 */
export function checkClusterNames(cluster: ResolvedCluster, levels: readonly SettingsLevel[], source: SpecSource): void {
  const namePointer = `${levels[levels.length - 1]!.pointer}/name`;
  checkLimit(`cluster "${cluster.name}": name`, cluster.name, cluster.provider, CLUSTER_NAME_LIMITS[cluster.provider], namePointer, source);
  for (const addon of cluster.addons) {
    const release = `${cluster.name}-${addon.name}`;
    if (release.length > DNS_LABEL_MAX) {
      source.fail(
        `cluster "${cluster.name}": addon "${addon.name}": HelmRelease "${release}" is ${release.length} characters; Flux labels everything it installs with the HelmRelease's name, and label values have at most ${DNS_LABEL_MAX}`,
        namePointer,
      );
    }
  }
  if (cluster.provider === 'aks-azuremanaged') {
    const nodeGroup = `MC_${cluster.azure.resourceGroup}_${cluster.name}_${cluster.location}`;
    if (nodeGroup.length > AKS_NODE_RESOURCE_GROUP_MAX) {
      const rg = writtenAt(levels, '/azure/resourceGroup', source);
      source.fail(
        `cluster "${cluster.name}": AKS node resource group "${nodeGroup}" is ${nodeGroup.length} characters; CAPZ names it MC_<resourceGroup>_<cluster>_<location> and Azure allows at most ${AKS_NODE_RESOURCE_GROUP_MAX}`,
        rg === levels[levels.length - 1]!.pointer ? namePointer : rg,
      );
    }
  }
}

function checkLimit(what: string, name: string, provider: Provider, limit: NameLimit | undefined, pointer: string, source: SpecSource): void {
  if (limit && breaksLimit(name, limit)) {
    source.fail(`${what} "${name}" (${name.length} characters) does not fit provider ${provider}: ${limit.why}`, pointer);
  }
}

/** The pointer of the most specific level that writes a settings field (e.g. `/azure/resourceGroup`), else the cluster. */
function writtenAt(levels: readonly SettingsLevel[], field: string, source: SpecSource): string {
  for (let i = levels.length - 1; i >= 0; i--) {
    const pointer = `${levels[i]!.pointer}${field}`;
    if (source.has(pointer)) return pointer;
  }
  return levels[levels.length - 1]!.pointer;
}

/**
 * The pointer of a node pool in the most specific level that writes it — or, given fields, that
 * writes any of them (at the first of them that level writes).
 */
function poolPointer(levels: readonly SettingsLevel[], pool: string, ...fields: (keyof NodePool)[]): string {
  for (let i = levels.length - 1; i >= 0; i--) {
    const pools = levels[i]!.settings.nodePools ?? [];
    const index = pools.findIndex((p) => p.name === pool);
    if (index < 0) continue;
    const at = pointerOf(levels[i]!.pointer, 'nodePools', index);
    if (fields.length === 0) return at;
    const field = fields.find((f) => pools[index]![f] !== undefined);
    if (field) return pointerOf(at, field);
  }
  return levels[levels.length - 1]!.pointer;
}
