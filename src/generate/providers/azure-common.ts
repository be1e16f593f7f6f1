import { CAPI_GROUP } from '../../kubernetes/api-groups.js';
import { BuildError } from '../../errors.js';
import type { JsonObject } from '../../json/value.js';
import type { CapiVersion, NodePool, ResolvedCluster } from '../../fleet/types.js';
import { capiApiVersion, machinePool, names, objectMeta, patchOf, required } from './capi.js';
import type { ProviderPatch } from './provider.js';

/** What the Azure providers (CAPZ) share: their API version, the settings they need, the cluster identity. */

export const CAPZ_API_VERSION = 'infrastructure.cluster.x-k8s.io/v1beta1';

/** One of the cluster's CAPZ objects. */
export function capzObject(cluster: ResolvedCluster, kind: string, name: string, spec: JsonObject): JsonObject {
  return { apiVersion: CAPZ_API_VERSION, kind, metadata: objectMeta(cluster, name), spec };
}

/** Per node pool, a CAPI MachinePool and the AKS agent pool object (`kind`) it points at. */
export function aksMachinePools(cluster: ResolvedCluster, kind: string, spec: (pool: NodePool) => JsonObject): JsonObject[] {
  if (!cluster.nodePools.some((pool) => pool.mode === 'System')) {
    throw new BuildError(`cluster "${cluster.name}": provider ${cluster.provider} needs a node pool of mode System (AKS runs its system pods there)`);
  }
  return cluster.nodePools.flatMap((pool) => {
    const infrastructure = capzObject(cluster, kind, names.pool(cluster, pool), spec(pool));
    return [machinePool(cluster, pool, infrastructure), infrastructure];
  });
}

/**
 * The patch every MachinePool of an AKS provider gets: AKS bootstraps its nodes, so the pool
 * names an empty bootstrap secret instead of a bootstrap config.
 */
export function aksMachinePoolPatch(version: CapiVersion): ProviderPatch {
  return patchOf(capiApiVersion(CAPI_GROUP, version), 'MachinePool', { spec: { template: { spec: { bootstrap: { dataSecretName: '' } } } } });
}

export function location(cluster: ResolvedCluster): string {
  return required(cluster, cluster.location, 'location');
}

export function subscriptionID(cluster: ResolvedCluster): string {
  return required(cluster, cluster.azure.subscriptionID, 'azure.subscriptionID');
}

export function vmSize(cluster: ResolvedCluster, pool: NodePool): string {
  return required(cluster, pool.vmSize, `vmSize on node pool "${pool.name}"`);
}

/** An AKS pool's mode; resolution gives every AKS pool one (see resolvePools in src/fleet/resolve.ts). */
export function poolMode(pool: NodePool): 'System' | 'User' {
  return pool.mode ?? 'User';
}

/** The Azure resource group the cluster lives in. */
export function resourceGroup(cluster: ResolvedCluster): string {
  return cluster.azure.resourceGroup ?? cluster.name;
}

/**
 * The identity CAPZ acts as for this cluster. One per cluster, never shared: each cluster's
 * overlay may be pruned on its own, which would delete an identity other clusters still use.
 * CAPZ lets no namespace use an identity that names none, not even its own.
 */
export function clusterIdentity(cluster: ResolvedCluster): JsonObject {
  const identity = cluster.azure.identity ?? {};
  return capzObject(cluster, 'AzureClusterIdentity', `${cluster.name}-identity`, {
    allowedNamespaces: { list: [cluster.namespace] },
    clientID: required(cluster, identity.clientID, 'azure.identity.clientID'),
    tenantID: required(cluster, identity.tenantID, 'azure.identity.tenantID'),
  });
}

/** Every cluster identity authenticates by workload identity (federated credentials, no secret in git). */
export const clusterIdentityPatch: ProviderPatch = patchOf(CAPZ_API_VERSION, 'AzureClusterIdentity', { spec: { type: 'WorkloadIdentity' } });

