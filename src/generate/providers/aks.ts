import type { JsonObject } from '../../json/value.js';
import type { NodePool, ResolvedCluster } from '../../fleet/types.js';
import { autoscaled, capiCluster, names, objectMeta, required } from './capi.js';
import { aksMachinePoolPatch, aksMachinePools, capzObject, location, poolMode, resourceGroup, subscriptionID, vmSize } from './azure-common.js';
import type { ProviderModule } from './provider.js';

/**
 * AKS through CAPZ's current API: the AzureASOManaged* objects embed Azure Service Operator
 * resources (resource group, managed cluster, agent pools) that CAPZ hands to ASO. CAPZ fills
 * in what it owns itself: the managed cluster's Kubernetes version from the control plane's
 * `version`, each agent pool's count and orchestrator version from its MachinePool. The
 * embedded resources sit in lists, which a strategic merge on custom resources replaces whole, so
 * even their provider-wide fields stay in each cluster's objects rather than the base.
 */

const RESOURCE_GROUP_API = 'resources.azure.com/v1api20200601';
const CONTAINER_SERVICE_API = 'containerservice.azure.com/v1api20240901';
/** ASO reads the credential of a resource from the secret this annotation names. */
const CREDENTIAL_FROM = 'serviceoperator.azure.com/credential-from';
/** clusterctl move carries a Secret along only when it is labelled so. */
const MOVE_LABEL = 'clusterctl.cluster.x-k8s.io/move';

/** The secret ASO authenticates with for this cluster (workload identity: ids only, nothing secret). */
function credentialSecret(cluster: ResolvedCluster): JsonObject | undefined {
  const identity = cluster.azure.identity;
  if (!identity?.clientID) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: objectMeta(cluster, `${cluster.name}-aso-credential`, { [MOVE_LABEL]: 'true' }),
    stringData: {
      AUTH_MODE: 'workloadidentity',
      AZURE_CLIENT_ID: identity.clientID,
      AZURE_SUBSCRIPTION_ID: subscriptionID(cluster),
      AZURE_TENANT_ID: required(cluster, identity.tenantID, 'azure.identity.tenantID'),
    },
  };
}

/** An embedded ASO resource; without a credential secret ASO uses its global credential. */
function asoResource(apiVersion: string, kind: string, name: string, credential: JsonObject | undefined, spec: JsonObject): JsonObject {
  const metadata: JsonObject = { name };
  if (credential) metadata.annotations = { [CREDENTIAL_FROM]: (credential.metadata as JsonObject).name! };
  return { apiVersion, kind, metadata, spec };
}

function agentPool(cluster: ResolvedCluster, pool: NodePool, credential: JsonObject | undefined): JsonObject {
  const scaling: JsonObject = autoscaled(pool) ? { enableAutoScaling: true, maxCount: pool.maxReplicas, minCount: pool.minReplicas } : {};
  return asoResource(CONTAINER_SERVICE_API, 'ManagedClustersAgentPool', names.pool(cluster, pool), credential, {
    azureName: pool.name,
    mode: poolMode(pool),
    owner: { name: cluster.name },
    type: 'VirtualMachineScaleSets',
    vmSize: vmSize(cluster, pool),
    ...scaling,
  });
}

export const aks: ProviderModule = {
  provider: 'aks',
  clusterObjects(cluster) {
    const credential = credentialSecret(cluster);
    const group = resourceGroup(cluster);
    // the ASO object is named after the cluster, so clusters sharing an Azure resource group do not share an object
    const groupSpec: JsonObject = { ...(group === cluster.name ? {} : { azureName: group }), location: location(cluster) };
    const infrastructure = capzObject(cluster, 'AzureASOManagedCluster', cluster.name, {
      resources: [asoResource(RESOURCE_GROUP_API, 'ResourceGroup', cluster.name, credential, groupSpec)],
    });
    const controlPlane = capzObject(cluster, 'AzureASOManagedControlPlane', cluster.name, {
      resources: [
        asoResource(CONTAINER_SERVICE_API, 'ManagedCluster', cluster.name, credential, {
          dnsPrefix: cluster.name,
          identity: { type: 'SystemAssigned' },
          location: location(cluster),
          networkProfile: { networkPlugin: 'azure' },
          owner: { name: cluster.name },
          servicePrincipalProfile: { clientId: 'msi' },
        }),
      ],
      version: cluster.kubernetesVersion,
    });
    const pools = aksMachinePools(cluster, 'AzureASOManagedMachinePool', (pool) => ({ resources: [agentPool(cluster, pool, credential)] }));
    return [capiCluster(cluster, infrastructure, controlPlane), infrastructure, controlPlane, ...pools, ...(credential ? [credential] : [])];
  },
  basePatches: (cluster) => [aksMachinePoolPatch(cluster.capiVersion)],
};
