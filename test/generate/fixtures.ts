import { resolvePools } from '../../src/fleet/resolve.js';
import type { ResolvedCluster } from '../../src/fleet/types.js';

/** A resolved cluster as the spec loader would hand it over, with every Azure setting filled in; tests override what they vary. */
export function resolvedCluster(overrides: Partial<ResolvedCluster> = {}): ResolvedCluster {
  const cluster: ResolvedCluster = {
    name: 'prod-weu-1',
    environment: 'prod',
    namespace: 'contoso-clusters',
    provider: 'aks',
    capiVersion: 'v1beta2',
    kubernetesVersion: 'v1.32.6',
    location: 'westeurope',
    azure: {
      subscriptionID: '00000000-0000-0000-0000-00000000000a',
      identity: { name: 'capz', clientID: '00000000-0000-0000-0000-00000000000b', tenantID: '00000000-0000-0000-0000-00000000000c' },
    },
    nodePools: [{ name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', replicas: 3 }],
    controlPlane: { replicas: 3, vmSize: 'Standard_D4ds_v5' },
    addons: [],
    labels: { tier: 'gold' },
    ...overrides,
  };
  // pools as resolution hands them over: replicas and AKS modes defaulted
  return { ...cluster, nodePools: resolvePools(cluster.nodePools, cluster.provider) };
}
