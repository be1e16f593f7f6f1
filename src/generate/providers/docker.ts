import { CAPI_GROUP, BOOTSTRAP_GROUP, CONTROL_PLANE_GROUP, INFRASTRUCTURE_GROUP } from '../../kubernetes/api-groups.js';
import type { JsonObject } from '../../json/value.js';
import type { CapiVersion, ResolvedCluster } from '../../fleet/types.js';
import { capiApiVersion, capiCluster, checkPoolNamesFree, kubeadmArgs, kubeadmConfigTemplate, kubeadmControlPlane, machineDeployment, names, objectMeta, patchOf } from './capi.js';
import type { ProviderModule, ProviderPatch } from './provider.js';

/**
 * Local clusters of containers (Cluster API's Docker provider), for development and tests. With
 * CAPI v1beta2 it is the Dev provider with its docker backend (DockerCluster is deprecated in
 * favour of it); management clusters on v1beta1 predate it and get DockerCluster.
 */

interface DockerKinds {
  apiVersion: string;
  cluster: string;
  machineTemplate: string;
}

function kindsFor(version: CapiVersion): DockerKinds {
  if (version === 'v1beta1') return { apiVersion: `${INFRASTRUCTURE_GROUP}/v1beta1`, cluster: 'DockerCluster', machineTemplate: 'DockerMachineTemplate' };
  return { apiVersion: `${INFRASTRUCTURE_GROUP}/v1beta2`, cluster: 'DevCluster', machineTemplate: 'DevMachineTemplate' };
}

function machineTemplate(cluster: ResolvedCluster, name: string): JsonObject {
  const kinds = kindsFor(cluster.capiVersion);
  return { apiVersion: kinds.apiVersion, kind: kinds.machineTemplate, metadata: objectMeta(cluster, name), spec: { template: { spec: {} } } };
}

/** Nodes share the host's disk, which the kubelet would otherwise soon call full and start evicting. */
function nodeRegistration(version: CapiVersion): JsonObject {
  return { kubeletExtraArgs: kubeadmArgs(version, { 'eviction-hard': 'nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%' }) };
}

/** The Dev provider's objects say which backend runs the machines. */
function backendPatches(version: CapiVersion): ProviderPatch[] {
  if (version === 'v1beta1') return [];
  const kinds = kindsFor(version);
  return [
    patchOf(kinds.apiVersion, kinds.cluster, { spec: { backend: { docker: {} } } }),
    patchOf(kinds.apiVersion, kinds.machineTemplate, { spec: { template: { spec: { backend: { docker: {} } } } } }),
  ];
}

export const docker: ProviderModule = {
  provider: 'docker',
  clusterObjects(cluster) {
    checkPoolNamesFree(cluster);
    const kinds = kindsFor(cluster.capiVersion);
    const infrastructure: JsonObject = { apiVersion: kinds.apiVersion, kind: kinds.cluster, metadata: objectMeta(cluster, cluster.name), spec: {} };
    const cpTemplate = machineTemplate(cluster, names.controlPlane(cluster));
    const controlPlane = kubeadmControlPlane(cluster, cpTemplate, {});
    const workers = cluster.nodePools.flatMap((pool) => {
      const infra = machineTemplate(cluster, names.pool(cluster, pool));
      const bootstrap = kubeadmConfigTemplate(cluster, pool, {});
      return [machineDeployment(cluster, pool, infra, bootstrap), infra, bootstrap];
    });
    return [capiCluster(cluster, infrastructure, controlPlane), infrastructure, controlPlane, cpTemplate, ...workers];
  },
  basePatches: ({ capiVersion: v }) => [
    patchOf(capiApiVersion(CAPI_GROUP, v), 'Cluster', {
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, serviceDomain: 'cluster.local', services: { cidrBlocks: ['10.128.0.0/12'] } },
      },
    }),
    ...backendPatches(v),
    patchOf(capiApiVersion(CONTROL_PLANE_GROUP, v), 'KubeadmControlPlane', {
      spec: {
        kubeadmConfigSpec: {
          // the API server is reached through the host's port mapping
          clusterConfiguration: { apiServer: { certSANs: ['localhost', '127.0.0.1', '0.0.0.0', 'host.docker.internal'] } },
          initConfiguration: { nodeRegistration: nodeRegistration(v) },
          joinConfiguration: { nodeRegistration: nodeRegistration(v) },
        },
      },
    }),
    patchOf(capiApiVersion(BOOTSTRAP_GROUP, v), 'KubeadmConfigTemplate', { spec: { template: { spec: { joinConfiguration: { nodeRegistration: nodeRegistration(v) } } } } }),
  ],
};
