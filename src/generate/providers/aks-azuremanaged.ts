import { autoscaled, capiCluster, refTo } from './capi.js';
import {
  aksMachinePoolPatch,
  aksMachinePools,
  capzObject,
  clusterIdentity,
  clusterIdentityPatch,
  location,
  poolMode,
  resourceGroup,
  subscriptionID,
  vmSize,
} from './azure-common.js';
import type { ProviderModule } from './provider.js';

/** AKS through CAPZ's older AzureManaged* API, for management clusters that have not moved to the ASO-based one. */
export const aksAzureManaged: ProviderModule = {
  provider: 'aks-azuremanaged',
  deprecation:
    'provider aks-azuremanaged uses CAPZ\'s AzureManaged* AKS API, deprecated upstream in favour of the ASO-based AzureASOManaged* API; use provider "aks"',
  clusterObjects(cluster) {
    const identity = clusterIdentity(cluster);
    const infrastructure = capzObject(cluster, 'AzureManagedCluster', cluster.name, {});
    const controlPlane = capzObject(cluster, 'AzureManagedControlPlane', cluster.name, {
      // CAPZ's own API is v1beta1 whatever the CAPI version
      identityRef: refTo('v1beta1', identity),
      location: location(cluster),
      resourceGroupName: resourceGroup(cluster),
      subscriptionID: subscriptionID(cluster),
      version: cluster.kubernetesVersion,
    });
    const pools = aksMachinePools(cluster, 'AzureManagedMachinePool', (pool) => ({
      mode: poolMode(pool),
      // the agent pool's name in AKS; the object's own name has the cluster's in front
      name: pool.name,
      ...(autoscaled(pool) ? { scaling: { maxSize: pool.maxReplicas, minSize: pool.minReplicas } } : {}),
      sku: vmSize(cluster, pool),
    }));
    return [capiCluster(cluster, infrastructure, controlPlane), infrastructure, controlPlane, ...pools, identity];
  },
  basePatches: (cluster) => [aksMachinePoolPatch(cluster.capiVersion), clusterIdentityPatch],
};
